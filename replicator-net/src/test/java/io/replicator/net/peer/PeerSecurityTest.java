package io.replicator.net.peer;

import io.replicator.core.config.NetConfig;
import io.replicator.fixtures.Certificates;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;
import io.replicator.net.testing.NettyLeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication and TLS on real links: a failure that retrying cannot fix stops both links for good ({@code refused})
 * and nothing is delivered; TLS with mutual authentication connects, and carries compressed, digested data intact.
 */
@Timeout(60)
@ExtendWith(NettyLeakCheck.class)
class PeerSecurityTest {
    static final long WAIT_MS = 10_000;

    @TempDir
    Path dir;
    final Node node1 = new Node(1);
    final Node node2 = new Node(2);
    final Recorder r1 = new Recorder();
    final Recorder r2 = new Recorder();
    final int p1 = Node.freePort();
    final int p2 = Node.freePort();

    @AfterEach
    void close() throws InterruptedException {
        node1.close();
        node2.close();
        r1.assertNoViolations();
        r2.assertNoViolations();
    }

    PeerLink[] start(NetConfig net1, NetConfig net2) {
        return new PeerLink[] {node1.start(2, net1, r1, Node.path(p1, p2)), node2.start(1, net2, r2,
            Node.path(p2, p1))};
    }

    @Test
    void aWrongSharedSecretRefusesBothSidesForGood() throws Exception {
        PeerLink[] links = start(Node.net("cram-hmac-alg", "sha256", "shared-secret", "one"),
            Node.net("cram-hmac-alg", "sha256", "shared-secret", "two"));
        assertThat(r1.refused(WAIT_MS)).containsIgnoringCase("authentication of peer failed");
        assertThat(r2.refused(WAIT_MS)).containsIgnoringCase("authentication of peer failed");
        assertThat(links[0].isRunning()).isFalse();
        assertThat(links[1].isRunning()).isFalse();
        r1.assertQuiet(1_500);
        r2.assertQuiet(0);
    }

    @Test
    void aSecretOnOneSideOnlyRefusesBothSides() throws Exception {
        start(Node.net("cram-hmac-alg", "sha256", "shared-secret", "one"), Node.net());
        assertThat(r1.refused(WAIT_MS)).contains("peer did not authenticate");
        assertThat(r2.refused(WAIT_MS)).contains("authentication required by peer");
        r1.assertQuiet(500);
        r2.assertQuiet(0);
    }

    @Test
    void incompatibleSettingsRefuseAndARestartWithMatchingSettingsConnects() throws Exception {
        PeerLink[] links = start(Node.net("protocol", "A"), Node.net("protocol", "C"));
        assertThat(r1.refused(WAIT_MS)).isEqualTo("incompatible protocol settings");
        assertThat(r2.refused(WAIT_MS)).isEqualTo("incompatible protocol settings");
        assertThat(links[1].isRunning()).isFalse();
        links[0].start();
        Recorder again = new Recorder();
        node2.start(1, Node.net("protocol", "A"), again, Node.path(p2, p1));
        r1.connected(WAIT_MS);
        again.connected(WAIT_MS);
        again.assertNoViolations();
    }

    @Test
    void tlsWithMutualAuthenticationConnectsAndCarriesTraffic() throws Exception {
        Certificates certificates = Certificates.make(dir);
        start(Node.net(certificates.tls("node1", "ca", "cram-hmac-alg", "sha256", "shared-secret", "s")),
            Node.net(certificates.tls("node2", "ca", "cram-hmac-alg", "sha256", "shared-secret", "s")));
        PeerSession s1 = r1.connected(WAIT_MS);
        r2.connected(WAIT_MS);
        List<PeerMessage> messages = Traffic.mixed(48, 3);
        List<Object> expected = Traffic.send(s1, messages);
        Traffic.assertSameOrderPerStream(r2.take(expected.size(), WAIT_MS), expected);
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        Certificates certificates = Certificates.make(dir);
        start(Node.net(certificates.tls("node1", "ca")), Node.net(certificates.tls("rogue", "ca")));
        assertThat(r1.refused(WAIT_MS)).startsWith("TLS handshake failed");
        assertThat(r2.refused(WAIT_MS)).startsWith("TLS handshake failed").contains("bad_certificate");
        assertThat(r1.received).isEmpty();
        assertThat(r2.received).isEmpty();
    }

    @Test
    void tlsLz4AndCrc32cTogetherDeliverDataFramesIntact() throws Exception {
        Certificates certificates = Certificates.make(dir);
        String[] extra = {"compression", "lz4", "data-integrity-alg", "crc32c"};
        start(Node.net(certificates.tls("node1", "ca", extra)), Node.net(certificates.tls("node2", "ca", extra)));
        PeerSession s1 = r1.connected(WAIT_MS);
        PeerSession s2 = r2.connected(WAIT_MS);
        assertThat(s1.handshake().peerSettings().compression()).isEqualTo("lz4");
        Random random = new Random(11);
        List<PeerMessage> frames = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int size = i % 4 == 0 ? 1 << 20 : 4096 * (1 + random.nextInt(16));
            frames.add(Traffic.data(i % 2 == 0 ? MessageType.DATA : MessageType.RESYNC_DATA, i,
                Traffic.payload(random, size, i % 3 != 0)));
        }
        List<Object> expected = Traffic.send(s2, frames);
        assertThat(r1.take(expected.size(), 30_000)).containsExactlyElementsOf(expected);
    }
}

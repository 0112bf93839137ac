package io.replicator.net.handshake;

import io.replicator.core.config.NetConfig;
import io.replicator.fixtures.Certificates;
import io.replicator.net.testing.NettyLeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS with mutual authentication over loopback, with the fixtures' {@link Certificates} (made with the openssl
 * command): a CA, two node certificates it signed, and a rogue CA with a certificate of its own.
 */
@Timeout(120)
@ExtendWith(NettyLeakCheck.class)
class TlsHandshakeTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        Certificates.make(dir);
    }

    static NetConfig tls(String node, String ca) {
        Map<String, String> written = new HashMap<>(HandshakeHandlerTest.AUTH);
        written.put("tls", "yes");
        written.put("tls-certificate", dir.resolve(node + ".crt").toString());
        written.put("tls-privkey", dir.resolve(node + ".key").toString());
        written.put("tls-ca", dir.resolve(ca + ".crt").toString());
        NetConfig net = NetConfig.of(written);
        assertThat(net.tls()).isTrue();
        return net;
    }

    static Loopback connect(NetConfig server, NetConfig client) throws InterruptedException {
        return new Loopback(
            new Loopback.Side(options(1, 2, server), TlsContexts.server(server)),
            new Loopback.Side(options(2, 1, client), TlsContexts.client(client)));
    }

    static HandshakeOptions options(int id, int peer, NetConfig net) {
        return HandshakeOptions.of(id, peer, net, false).withTimeout(Duration.ofSeconds(10));
    }

    @Test
    void trustedPeersCompleteTlsAndAuthentication() throws Exception {
        try (Loopback link = connect(tls("node1", "ca"), tls("node2", "ca"))) {
            assertThat(link.server.await()).isInstanceOf(HandshakeCompleted.class);
            assertThat(link.client.await()).isInstanceOf(HandshakeCompleted.class);
            assertThat(link.server.namesAfterCompletion).contains(HandshakePipeline.TLS)
                .doesNotContain(HandshakePipeline.HANDSHAKE);
            assertThat(link.server.plaintextBytes.get()).isPositive();
        }
    }

    @Test
    void aClientWithAnUntrustedCertificateIsRefusedBeforeTheHandshake() throws Exception {
        try (Loopback link = connect(tls("node1", "ca"), tls("rogue", "ca"))) {
            Object server = link.server.await();
            assertThat(server).isInstanceOf(HandshakeFailed.class);
            HandshakeFailed failure = (HandshakeFailed) server;
            assertThat(failure.reason()).startsWith("TLS handshake failed").contains("tls-ca");
            assertThat(failure.retryable()).isFalse();
            assertThat(link.client.await()).isInstanceOf(HandshakeFailed.class);
            link.server.closed.get(5, TimeUnit.SECONDS);
            link.client.closed.get(5, TimeUnit.SECONDS);
            assertThat(link.server.plaintextBytes.get()).as("handshake bytes the server saw").isZero();
            assertThat(link.client.plaintextBytes.get()).as("handshake bytes the client saw").isZero();
        }
    }

    @Test
    void aServerWithAnUntrustedCertificateIsRefused() throws Exception {
        try (Loopback link = connect(tls("rogue", "ca"), tls("node2", "ca"))) {
            HandshakeFailed client = (HandshakeFailed) link.client.await();
            assertThat(client.reason()).startsWith("TLS handshake failed");
            assertThat(client.retryable()).isFalse();
            assertThat(link.server.await()).isInstanceOf(HandshakeFailed.class);
            assertThat(link.server.plaintextBytes.get()).isZero();
            assertThat(link.client.plaintextBytes.get()).isZero();
        }
    }

    @Test
    void tlsAgainstPlainTextNeverHandshakes() throws Exception {
        NetConfig plain = NetConfig.of(HandshakeHandlerTest.AUTH);
        try (Loopback link = new Loopback(
            new Loopback.Side(options(1, 2, tls("node1", "ca")), TlsContexts.server(tls("node1", "ca"))),
            Loopback.Side.plain(options(2, 1, plain)))) {
            assertThat(link.server.await()).isInstanceOf(HandshakeFailed.class);
            assertThat(link.client.await()).isInstanceOf(HandshakeFailed.class);
            assertThat(link.server.plaintextBytes.get()).isZero();
        }
    }

    @Test
    void missingOrBadFilesAreClearErrors() throws IOException {
        Map<String, String> written = new HashMap<>(Map.of("tls", "yes"));
        assertThatThrownBy(() -> TlsContexts.server(NetConfig.of(written)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tls yes needs tls-ca");
        written.put("tls-ca", dir.resolve("ca.crt").toString());
        written.put("tls-certificate", dir.resolve("nowhere.crt").toString());
        written.put("tls-privkey", dir.resolve("node1.key").toString());
        assertThatThrownBy(() -> TlsContexts.client(NetConfig.of(written)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nowhere.crt: cannot read");
        Files.writeString(dir.resolve("junk.crt"), "not a certificate\n");
        written.put("tls-certificate", dir.resolve("junk.crt").toString());
        assertThatThrownBy(() -> TlsContexts.server(NetConfig.of(written)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot set up TLS");
        assertThat(TlsContexts.server(NetConfig.DEFAULT)).isEmpty();
    }
}

package io.replicator.cli;

import io.replicator.fixtures.Certificates;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peer authentication, TLS and settings checks between two real daemons ({@link TestCluster}, the real
 * {@code bin/replicator}).
 *
 * <p>Each refusal test proves "refused, and no data exchanged": with a wrong shared secret, a secret on one side
 * only, a certificate from a CA the peer does not trust, or incompatible protocols, both nodes end StandAlone, each
 * daemon's log gives the handshake's reason for going StandAlone, neither ever logs a connection, and after alpha is
 * forced Primary and takes writes over NBD, bravo's data area is still all zeros, byte for byte what create-md left.
 *
 * <p>The positive case proves that TLS with mutual authentication, LZ4 compression and CRC32C data integrity together
 * carry real replication: the pair bootstraps to Established and, after a workload on alpha, bravo's data area is
 * identical to alpha's.
 */
@Timeout(120)
class PeerSecurityIT {
    /** How long a refused connection may take to show StandAlone on both nodes. */
    private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(30);
    private static final int WRITES = 200;
    private static final String SECRET = "shared-secret correct-horse;";
    private static final String AUTH = "cram-hmac-alg sha256; " + SECRET;

    /** Where {@link #certificates()} makes the certificates, once for the class (openssl is slow on a busy machine). */
    @TempDir
    static Path keys;
    private static Certificates made;

    @TempDir
    Path folder;

    @Test
    void aWrongSharedSecretLeavesBothNodesStandAloneAndBravosDataUntouched() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).netOptions(AUTH)
            .editNode("bravo", text -> replaceOnce(text, SECRET, "shared-secret battery-staple;")).build()) {
            assertRefusedWithoutDataExchange(cluster, "Authentication of peer failed",
                "Authentication of peer failed");
        }
    }

    @Test
    void aSharedSecretOnOneSideOnlyIsRefusedOnBothSidesAndNothingIsReplicated() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).netOptions(AUTH)
            .editNode("bravo", text -> replaceOnce(text, AUTH, "")).build()) {
            assertRefusedWithoutDataExchange(cluster, "peer did not authenticate: cram-hmac-alg sha256 is required",
                "authentication required by peer (cram-hmac-alg sha256) but not configured here");
        }
    }

    @Test
    void aCertificateFromAnUntrustedCaIsRefusedAndNothingIsReplicated() throws Exception {
        Certificates certificates = certificates();
        String alphaTls = certificates.tlsNetOptions(Certificates.NODE1, Certificates.CA);
        String bravoTls = certificates.tlsNetOptions(Certificates.ROGUE, Certificates.CA);
        try (TestCluster cluster = TestCluster.builder(folder).netOptions(alphaTls)
            .editNode("bravo", text -> replaceOnce(text, alphaTls, bravoTls)).build()) {
            assertRefusedWithoutDataExchange(cluster, "TLS handshake failed", "TLS handshake failed");
        }
    }

    @Test
    void tlsWithLz4AndCrc32cReplicatesEveryWriteToBravo() throws Exception {
        Certificates certificates = certificates();
        String extra = " compression lz4; data-integrity-alg crc32c;";
        String alphaNet = certificates.tlsNetOptions(Certificates.NODE1, Certificates.CA) + extra;
        String bravoNet = certificates.tlsNetOptions(Certificates.NODE2, Certificates.CA) + extra;
        WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 2048, 8);
        System.out.println("workload seed " + workload.seed());
        try (TestCluster cluster = TestCluster.builder(folder).netOptions(alphaNet)
            .editNode("bravo", text -> replaceOnce(text, alphaNet, bravoNet)).build()) {
            cluster.bootstrap("alpha");
            String zeros = PeerClusters.zerosDigest(cluster.dataSizeBytes("alpha", 0));
            PeerClusters.write(cluster, "alpha", workload, WRITES);

            String alpha = cluster.dataSha256("alpha", 0);
            assertThat(alpha).as("alpha took the writes").isNotEqualTo(zeros);
            assertThat(cluster.dataSha256("bravo", 0)).as("bravo's data area\n%s", cluster.logTails())
                .isEqualTo(alpha);
            assertThat(cluster.cstate("alpha")).isEqualTo("Connected\n");
            assertThat(cluster.cstate("bravo")).isEqualTo("Connected\n");
            assertThat(log(cluster, "alpha")).contains("r0: replicating with bravo")
                .doesNotContain("r0: connection to bravo lost");
            assertThat(log(cluster, "bravo")).contains("r0: replicating with alpha");
        }
    }

    @Test
    void incompatibleProtocolsAreRefusedAndNothingIsReplicated() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder)
            .editNode("bravo", text -> replaceOnce(text, "protocol C;", "protocol A;")).build()) {
            assertRefusedWithoutDataExchange(cluster, "incompatible protocol settings",
                "incompatible protocol settings");
        }
    }

    /** The test certificates, made on first use; skips (or fails) the calling test without openssl. */
    private static synchronized Certificates certificates() throws IOException {
        if (made == null) {
            made = Certificates.make(keys);
        }
        return made;
    }

    /**
     * Brings both nodes up and proves the connection was refused and nothing crossed it: both StandAlone, each log's
     * StandAlone line gives the reason, no connection was ever logged, and bravo's data area stays all zeros while
     * alpha, forced Primary, takes writes.
     */
    private static void assertRefusedWithoutDataExchange(TestCluster cluster, String alphaReason, String bravoReason)
        throws Exception {
        WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 2048, 8);
        System.out.println("workload seed " + workload.seed());
        cluster.createMd();
        String zeros = PeerClusters.zerosDigest(cluster.dataSizeBytes("bravo", 0));
        String bravoBefore = cluster.dataSha256("bravo", 0);
        assertThat(bravoBefore).as("bravo's data area after create-md").isEqualTo(zeros);
        cluster.up();

        PeerClusters.awaitCstate(cluster, "alpha", "StandAlone", REFUSAL_TIMEOUT);
        PeerClusters.awaitCstate(cluster, "bravo", "StandAlone", REFUSAL_TIMEOUT);
        assertThat(standAloneLines(cluster, "alpha")).as(cluster.logTails()).singleElement().asString()
            .contains("connection to bravo refused").contains(alphaReason);
        assertThat(standAloneLines(cluster, "bravo")).as(cluster.logTails()).singleElement().asString()
            .contains("connection to alpha refused").contains(bravoReason);

        cluster.primary("alpha", true);
        PeerClusters.write(cluster, "alpha", workload, WRITES);
        assertThat(cluster.dataSha256("alpha", 0)).as("alpha took the writes").isNotEqualTo(zeros);
        assertThat(cluster.dataSha256("bravo", 0)).as("bravo's data area").isEqualTo(bravoBefore);
        assertThat(cluster.cstate("alpha")).isEqualTo("StandAlone\n");
        assertThat(cluster.cstate("bravo")).isEqualTo("StandAlone\n");
        for (String node : List.of("alpha", "bravo")) {
            assertThat(log(cluster, node)).as("%s's log", node).doesNotContain("r0: connected to")
                .doesNotContain("r0: replicating with");
        }
    }

    /** The lines of {@code node}'s log where its resource went StandAlone because the link was refused. */
    private static List<String> standAloneLines(TestCluster cluster, String node) throws IOException {
        return log(cluster, node).lines().filter(line -> line.contains("refused, going StandAlone")).toList();
    }

    private static String log(TestCluster cluster, String node) throws IOException {
        return Files.readString(cluster.logPath(node), StandardCharsets.UTF_8);
    }

    /** {@code text} with its one occurrence of {@code target} replaced; fails if there is not exactly one. */
    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        if (at < 0 || text.indexOf(target, at + 1) >= 0) {
            throw new IllegalArgumentException("expected '" + target + "' exactly once in\n" + text);
        }
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }
}

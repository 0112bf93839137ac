package io.replicator.cli;

import io.replicator.core.control.LocalProcesses;
import io.replicator.fixtures.BlockPatterns;
import io.replicator.fixtures.InMemoryVolume;
import io.replicator.fixtures.cluster.StatusProbe;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.AckRecordingClient;
import io.replicator.net.nbd.client.GenerationBlock;
import io.replicator.net.nbd.client.IssuedWrite;
import io.replicator.net.nbd.client.RunSummary;
import io.replicator.net.nbd.client.Verification;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixtures' TestCluster against the real daemons: two and three nodes come up from generated configurations, one
 * is promoted with --force and takes writes over NBD from the recording client, a daemon killed with SIGKILL loses
 * no acknowledged write from its own disk and comes back, and closing the cluster leaves no process behind.
 *
 * <p>Peer replication is not asserted here (connections may be Connecting or Connected): these tests hold whether
 * or not the nodes really connect.
 */
@Timeout(300)
class TestClusterIT {
    private static final int BLOCK = 4096;
    /** The cluster's default {@code disk { size 32M; }}. */
    private static final long DATA_BYTES = 32L << 20;

    @TempDir
    Path folder;

    @Test
    void shouldServeAcknowledgedWritesOfTheForcedPrimaryOfTwoNodesAndLeaveNoProcess() throws Exception {
        List<ProcessHandle> daemons;
        WriteWorkload workload = WriteWorkload.withRandomSeed(BLOCK, 256, 4);
        System.out.println("seed " + workload.seed());
        try (TestCluster cluster = TestCluster.builder(folder).build()) {
            cluster.createMd();
            cluster.up();
            assertThat(cluster.status("alpha")).startsWith("r0 role:Secondary\n").contains("disk:Inconsistent")
                .contains("\n  bravo ");
            assertThat(cluster.role("bravo")).isEqualTo("Secondary\n");

            cluster.primary("alpha", true);
            cluster.waitFor("alpha", StatusProbe.ROLE, "Primary\n"::equals, Duration.ofSeconds(30));
            assertThat(cluster.dstate("alpha")).startsWith("UpToDate/");
            try (AckRecordingClient client = AckRecordingClient.connect(cluster.nbdUri("alpha"))) {
                assertThat(client.sizeBytes()).isEqualTo(DATA_BYTES);
                RunSummary run = workload.run(client, 600, Duration.ofSeconds(120));
                assertThat(run.acked()).as("%s", run).isEqualTo(600);
                client.flush().get(30, TimeUnit.SECONDS);
            }

            Verification verification = workload.verify(cluster.diskPath("alpha", 0), 0);
            assertThat(verification.ok()).as(verification.toString()).isTrue();
            assertThat(verification.ackedWrites()).isEqualTo(600);
            assertThat(cluster.dataSizeBytes("alpha", 0)).isEqualTo(DATA_BYTES);
            assertThat(cluster.dataSha256("alpha", 0)).isEqualTo(modelDigest(workload));
            daemons = cluster.runningDaemons();
            assertThat(daemons).hasSize(2);
        }
        assertThat(daemons).noneMatch(LocalProcesses::running);
        assertThat(folder.resolve("run/alpha.pid")).doesNotExist();
        assertThat(folder.resolve("run/bravo.pid")).doesNotExist();
    }

    @Test
    void shouldKeepEveryAcknowledgedWriteOnThePrimarysDiskWhenItsDaemonIsKilled() throws Exception {
        WriteWorkload workload = WriteWorkload.withRandomSeed(BLOCK, 1024, 16);
        System.out.println("seed " + workload.seed());
        try (TestCluster cluster = TestCluster.builder(folder).build()) {
            cluster.createMd();
            cluster.up();
            cluster.primary("alpha", true);
            long pid = cluster.daemonPid("alpha").orElseThrow();
            RunSummary run;
            try (AckRecordingClient client = AckRecordingClient.connect(cluster.nbdUri("alpha"))) {
                CompletableFuture<RunSummary> running = workload.start(client, Long.MAX_VALUE, Duration.ofSeconds(120));
                assertThat(client.log().awaitAcked(500, Duration.ofSeconds(60))).as(cluster.logTails()).isTrue();

                cluster.kill9("alpha");
                run = running.get(60, TimeUnit.SECONDS);
            }

            assertThat(run.connectionEnd()).as("%s", run).isPresent();
            assertThat(ProcessHandle.of(pid).filter(LocalProcesses::running)).isEmpty();
            assertThat(cluster.daemonRunning("alpha")).isFalse();
            assertThat(cluster.run("alpha", "role", "r0").exitCode()).isEqualTo(20);
            Verification afterKill = workload.verify(cluster.diskPath("alpha", 0), 0);
            System.out.println(afterKill);
            assertThat(afterKill.lost()).as(afterKill.toString()).isEmpty();
            assertThat(afterKill.ok()).as(afterKill.toString()).isTrue();
            assertThat(afterKill.ackedWrites()).isGreaterThanOrEqualTo(500);
            String digestAfterKill = cluster.dataSha256("alpha", 0);

            cluster.restart("alpha");
            assertThat(cluster.daemonPid("alpha").orElseThrow()).isNotEqualTo(pid);
            cluster.waitFor("alpha", status -> status.startsWith("r0 role:"), Duration.ofSeconds(30));
            assertThat(cluster.dataSha256("alpha", 0)).isEqualTo(digestAfterKill);
        }
    }

    @Test
    void shouldRunAThreeNodeMeshWithInjectedNetOptionsAndLeaveNoProcess() throws Exception {
        List<ProcessHandle> daemons;
        WriteWorkload workload = WriteWorkload.withRandomSeed(BLOCK, 128, 2);
        System.out.println("seed " + workload.seed());
        try (TestCluster cluster = TestCluster.builder(folder).nodes(3)
            .netOptions("cram-hmac-alg sha256; shared-secret x;").build()) {
            cluster.createMd();
            cluster.up();
            assertThat(cluster.status("alpha")).contains("\n  bravo ").contains("\n  charlie ");

            cluster.primary("charlie", true);
            assertThat(cluster.role("charlie")).isEqualTo("Primary\n");
            try (AckRecordingClient client = AckRecordingClient.connect(cluster.nbdUri("charlie"))) {
                assertThat(workload.run(client, 200, Duration.ofSeconds(120)).acked()).isEqualTo(200);
            }
            Verification verification = workload.verify(cluster.diskPath("charlie", 0), 0);
            assertThat(verification.ok()).as(verification.toString()).isTrue();
            assertThat(cluster.dataSha256("charlie", 0)).isEqualTo(modelDigest(workload));
            daemons = cluster.runningDaemons();
            assertThat(daemons).hasSize(3);
        }
        assertThat(daemons).noneMatch(LocalProcesses::running);
    }

    /** SHA-256 of a data area that holds exactly the workload's last write of every block, zeros elsewhere. */
    private static String modelDigest(WriteWorkload workload) throws Exception {
        Map<Long, IssuedWrite> last = new HashMap<>();
        workload.writes().forEach(write -> last.merge(write.block(), write,
            (a, b) -> a.generation() > b.generation() ? a : b));
        try (InMemoryVolume model = new InMemoryVolume(DATA_BYTES)) {
            for (IssuedWrite write : last.values()) {
                model.write(GenerationBlock.encode(workload.seed(), write.block(), write.generation(), BLOCK),
                    write.block() * BLOCK);
            }
            return BlockPatterns.sha256Hex(model);
        }
    }
}

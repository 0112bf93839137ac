package io.replicator.cli;

import io.replicator.fixtures.cluster.CommandResult;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.AckRecordingClient;
import io.replicator.net.nbd.client.WriteRecord;
import io.replicator.net.nbd.client.WriteState;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fencing on real daemons, with a {@code fence-peer} handler that logs its call and exits with the status the test
 * writes into a file (waiting until there is one): under {@code resource-and-stonith} a Primary that loses its peer
 * completes no write until the handler says the peer is fenced, or the operator runs {@code resume-io}; a Secondary
 * whose peer is away is promoted only once the handler says the peer is outdated; {@code unfence-peer} runs when the
 * peer is back and in sync; {@code suspend-io} holds writes until {@code resume-io}. The rules are unit-tested in
 * core ({@code FencingRulesTest}); this shows the product.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FencingIT {
    private static final int BLOCK = 4096;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @Test
    void resourceAndStonithFreezesWritesUntilFencePeerSucceeds_andUnfencesWhenThePeerIsBack() throws Exception {
        try (TestCluster cluster = fencedCluster("stonith", "resource-and-stonith")) {
            cluster.bootstrap("alpha");
            try (AckRecordingClient client = AckRecordingClient.connect(cluster.nbdUri("alpha"))) {
                assertThat(new WriteWorkload(3, BLOCK, 256, 2).run(client, 50, SETTLE).failed()).isZero();

                cluster.kill9("bravo");
                cluster.waitFor("alpha", status -> status.contains("suspended:fencing"), SETTLE);
                logs().awaitLine("alpha", "fence-peer r0 peer=1");
                AckRecordingClient.PendingWrite waiting = client.write(0, ByteBuffer.allocate(BLOCK));
                Thread.sleep(1500);
                assertThat(waiting.outcome()).as("no write completes while the peer is not fenced").isNotDone();

                exitWith("alpha", 7); // STONITHed
                assertThat(completed(cluster, waiting).state()).isEqualTo(WriteState.ACKED);
                cluster.waitFor("alpha", status -> !status.contains("suspended"), SETTLE);
                assertThat(cluster.logTail("alpha", 400)).contains("fence-peer on bravo exited 7 (peer was fenced "
                    + "(STONITH)): bravo counts as Outdated");

                cluster.restart("bravo");
                cluster.awaitReplicating("alpha", SETTLE);
                logs().awaitLine("alpha", "unfence-peer r0 peer=1");
            }
        }
    }

    @Test
    void aFailedFencePeerKeepsTheFreezeUntilResumeIo_andSuspendIoHoldsWritesToo() throws Exception {
        try (TestCluster cluster = fencedCluster("failed", "resource-and-stonith")) {
            cluster.bootstrap("alpha");
            exitWith("alpha", 1); // the handler is broken
            try (AckRecordingClient client = AckRecordingClient.connect(cluster.nbdUri("alpha"))) {
                cluster.kill9("bravo");
                awaitLog(cluster, "alpha", "fence-peer on bravo exited 1 (fence-peer handler is broken); I/O stays "
                    + "frozen until the operator runs 'resume-io'");
                assertThat(cluster.status("alpha")).contains("suspended:fencing");
                AckRecordingClient.PendingWrite frozen = client.write(0, ByteBuffer.allocate(BLOCK));
                Thread.sleep(1500);
                assertThat(frozen.outcome()).as("frozen after the failed handler").isNotDone();

                cluster.require("alpha", "resume-io", TestCluster.RESOURCE);
                assertThat(completed(cluster, frozen).state()).isEqualTo(WriteState.ACKED);

                cluster.require("alpha", "suspend-io", TestCluster.RESOURCE);
                assertThat(cluster.status("alpha")).contains("suspended:user");
                AckRecordingClient.PendingWrite suspended = client.write(BLOCK, ByteBuffer.allocate(BLOCK));
                Thread.sleep(1000);
                assertThat(suspended.outcome()).as("suspend-io").isNotDone();
                cluster.require("alpha", "resume-io", TestCluster.RESOURCE);
                assertThat(completed(cluster, suspended).state()).isEqualTo(WriteState.ACKED);
                assertThat(cluster.status("alpha")).doesNotContain("suspended");
            }
        }
    }

    @Test
    void aSecondaryIsPromotedOnlyOnceFencePeerSaysTheLostPeerIsOutdated() throws Exception {
        try (TestCluster cluster = fencedCluster("promote", "resource-only")) {
            cluster.bootstrap("alpha");
            cluster.kill9("alpha");
            cluster.waitFor("bravo", status -> status.contains("connection:Connecting"), SETTLE);
            exitWith("bravo", 1);

            CommandResult refused = cluster.run("bravo", "primary", TestCluster.RESOURCE);
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.out() + refused.err()).contains("(-7) Refusing to be Primary while peer is not "
                + "outdated").contains("fence-peer on alpha exited 1").contains("'primary --force' takes that risk");
            assertThat(cluster.role("bravo")).contains("Secondary");

            exitWith("bravo", 5); // unreachable, and bravo's data is UpToDate: alpha counts as Outdated
            cluster.require("bravo", "primary", TestCluster.RESOURCE);
            assertThat(cluster.role("bravo")).contains("Primary");
            // unfence-peer ran when the pair first replicated with UpToDate data on both sides, as DRBD runs it.
            assertThat(logs().lines("bravo")).containsExactly("unfence-peer r0 peer=0", "fence-peer r0 peer=0",
                "fence-peer r0 peer=0");
        }
    }

    private TestCluster fencedCluster(String name, String fencing) throws Exception {
        return TestCluster.builder(folder.resolve(name)).nodes(2).size("16M").netOptions("fencing " + fencing + ";")
            .editNode("alpha", text -> withHandlers("alpha", text))
            .editNode("bravo", text -> withHandlers("bravo", text)).build();
    }

    /** The fence-peer handler logs its call and exits with the status in NODE-fence-exit, once that file exists. */
    private String withHandlers(String node, String text) {
        Path log = logs().log(node);
        Path exit = folder.resolve(node + "-fence-exit");
        return HandlerLogs.withSection(text, "  handlers {\n"
            + "    fence-peer \"echo fence-peer $DRBD_RESOURCE peer=$DRBD_PEER_NODE_ID >> " + log
            + "; while [ ! -s " + exit + " ]; do sleep 0.1; done; exit $(cat " + exit + ")\";\n"
            + "    unfence-peer \"echo unfence-peer $DRBD_RESOURCE peer=$DRBD_PEER_NODE_ID >> " + log + "\";\n"
            + "  }\n");
    }

    private void exitWith(String node, int status) throws Exception {
        Path exit = folder.resolve(node + "-fence-exit");
        Path next = folder.resolve(node + "-fence-exit.new");
        Files.writeString(next, Integer.toString(status));
        Files.move(next, exit, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private HandlerLogs logs() {
        return new HandlerLogs(folder, SETTLE);
    }

    private static void awaitLog(TestCluster cluster, String node, String text) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!cluster.logTail(node, 400).contains(text)) {
            assertThat(System.nanoTime() - deadline).as("on %s: no '%s' in the log\n%s", node, text,
                cluster.logTail(node, 60)).isNegative();
            Thread.sleep(100);
        }
    }

    private static WriteRecord completed(TestCluster cluster, AckRecordingClient.PendingWrite write)
        throws Exception {
        try {
            return write.outcome().get(SETTLE.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException stuck) {
            throw new AssertionError("the write never completed\n" + cluster.status("alpha") + "\n"
                + cluster.logTails(), stuck);
        }
    }
}

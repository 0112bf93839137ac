package io.replicator.cli;

import io.replicator.fixtures.cluster.CommandResult;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.AckRecordingClient;
import io.replicator.net.nbd.client.RunSummary;
import io.replicator.net.nbd.client.WriteRecord;
import io.replicator.net.nbd.client.WriteState;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quorum on three real daemons through the real CLI and a real NBD client ({@code quorum majority}): the Primary
 * goes on without one peer, completes no write without both (the write waits, {@code status} says
 * {@code suspended:quorum}, {@code quorum:no}), and a node alone cannot be promoted, not even with {@code --force};
 * when a peer comes back the waiting write completes. The rules are unit-tested in core ({@code QuorumRulesTest},
 * {@code QuorumLossTest}) and run under the simulation; this shows the product.
 */
@Timeout(600)
class QuorumIT {
    private static final int BLOCK = 4096;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @Test
    void aPrimaryGoesOnWithTwoOfThree_waitsWithOne_andAWaitingWriteCompletesWhenAPeerReturns() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder.resolve("q")).nodes(3)
            .editNode("alpha", QuorumIT::majority).editNode("bravo", QuorumIT::majority)
            .editNode("charlie", QuorumIT::majority).build()) {
            cluster.bootstrap("alpha");
            WriteWorkload workload = new WriteWorkload(7, BLOCK, 1024, 4);
            try (AckRecordingClient client = AckRecordingClient.connect(cluster.nbdUri("alpha"))) {
                assertThat(workload.run(client, 100, SETTLE).failed()).isZero();

                cluster.kill9("charlie");
                RunSummary twoOfThree = workload.run(client, 100, SETTLE);
                assertThat(twoOfThree.failed()).as("two of three keep quorum\n%s", cluster.logTails()).isZero();

                cluster.kill9("bravo");
                cluster.waitFor("alpha", status -> status.contains("suspended:quorum"), SETTLE);
                assertThat(cluster.query("alpha", "status", "--verbose").out()).contains("quorum:no");
                AckRecordingClient.PendingWrite waiting = client.write(0, ByteBuffer.allocate(BLOCK));
                Thread.sleep(2000);
                assertThat(waiting.outcome()).as("no write completes without quorum").isNotDone();

                cluster.restart("bravo");
                WriteRecord done;
                try {
                    done = waiting.outcome().get(SETTLE.toSeconds(), TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stuck) {
                    throw new AssertionError("the parked write never completed\n" + cluster.status("alpha")
                        + "\n" + cluster.logTails(), stuck);
                }
                assertThat(done.state()).as("parked while quorum was gone, written once it came back\n%s",
                    cluster.logTails()).isEqualTo(WriteState.ACKED);
                assertThat(cluster.logTail("alpha", 400)).contains("quorum lost (volume 0: 1 of 3 nodes visible, "
                    + "need 2 for quorum)").contains("quorum regained");
            }
        }
    }

    @Test
    void aNodeAloneCannotBePromoted_notEvenWithForce() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder.resolve("alone")).nodes(3)
            .editNode("alpha", QuorumIT::majority).editNode("bravo", QuorumIT::majority)
            .editNode("charlie", QuorumIT::majority).build()) {
            cluster.bootstrap("alpha");
            cluster.secondary("alpha");
            cluster.kill9("bravo");
            cluster.kill9("charlie");
            cluster.waitFor("alpha", status -> status.contains("quorum:no"), SETTLE);

            CommandResult refused = cluster.run("alpha", "primary", "--force", TestCluster.RESOURCE);
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.out() + refused.err()).contains("No quorum")
                .contains("1 of 3 nodes visible, need 2 for quorum").contains("--force does not override quorum");
        }
    }

    /** The node's configuration with {@code quorum majority}. */
    static String majority(String text) {
        return text.replaceFirst("resource " + TestCluster.RESOURCE + " \\{\n",
            "resource " + TestCluster.RESOURCE + " {\n  options { quorum majority; }\n");
    }
}

package io.replicator.cli;

import io.replicator.fixtures.BlockPatterns;
import io.replicator.fixtures.InMemoryVolume;
import io.replicator.fixtures.cluster.StatusProbe;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.AckRecordingClient;
import io.replicator.net.nbd.client.RunSummary;
import io.replicator.net.nbd.client.WriteWorkload;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the peer ITs do to a {@link TestCluster} of real daemons (bringing one up is {@link TestCluster#bootstrap}):
 * wait for a connection state, write through NBD, and know the digest of an untouched data area.
 */
final class PeerClusters {
    /** Block size of every workload here. */
    static final int BLOCK = 4096;
    /** Long enough for a loaded two-core machine to connect two daemons on loopback. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Disk options for a resync that is not held to DRBD's conservative defaults (c-fill-target 50 KiB, c-max-rate
     * 100 MiB/s): the dynamic controller keeps 8 MiB in flight, up to 4 GiB/s.
     */
    static final String FAST_RESYNC = "c-fill-target 8M; c-max-rate 4G;";

    private PeerClusters() {
    }

    /** Waits until {@code cstate r0} on {@code node} prints {@code state} and nothing else. */
    static void awaitCstate(TestCluster cluster, String node, String state, Duration timeout) {
        cluster.waitFor(node, StatusProbe.CSTATE, (state + "\n")::equals, timeout);
    }

    /**
     * Runs {@code writes} writes of {@code workload} through {@code node}'s NBD export and a flush; fails unless
     * every write was acknowledged.
     */
    static RunSummary write(TestCluster cluster, String node, WriteWorkload workload, int writes) throws Exception {
        try (AckRecordingClient client = AckRecordingClient.connect(cluster.nbdUri(node))) {
            RunSummary run = workload.run(client, writes, Duration.ofSeconds(120));
            assertThat(run.acked()).as("%s\n%s", run, cluster.logTails()).isEqualTo(writes);
            client.flush().get(30, TimeUnit.SECONDS);
            return run;
        }
    }

    /** Waits until {@code node}'s daemon log contains {@code text}; returns the log's tail. */
    static String awaitLog(TestCluster cluster, String node, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String tail = cluster.logTail(node, 2000);
            if (tail.contains(text)) {
                return tail;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("on " + node + ": no '" + text + "' in the log within " + timeout.toMillis()
                    + " ms\n" + cluster.logTails());
            }
            Thread.sleep(200);
        }
    }

    /** SHA-256 (hex) of {@code bytes} zero bytes: the data area of a volume nothing was ever written to. */
    static String zerosDigest(long bytes) throws Exception {
        try (InMemoryVolume zeros = new InMemoryVolume(bytes)) {
            return BlockPatterns.sha256Hex(zeros);
        }
    }
}

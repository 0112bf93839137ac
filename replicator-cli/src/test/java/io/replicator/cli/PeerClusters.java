package io.replicator.cli;

import io.replicator.fixtures.BlockPatterns;
import io.replicator.fixtures.InMemoryVolume;
import io.replicator.fixtures.cluster.ClusterNode;
import io.replicator.fixtures.cluster.CommandResult;
import io.replicator.fixtures.cluster.StatusProbe;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.fixtures.nbd.AckRecordingClient;
import io.replicator.fixtures.nbd.RunSummary;
import io.replicator.fixtures.nbd.WriteWorkload;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the peer ITs do to a {@link TestCluster} of real daemons: bring a fresh cluster to replication the way DRBD
 * skips the initial sync, wait for a connection state, write through NBD, and know the digest of an untouched data
 * area.
 */
final class PeerClusters {
    /** Block size of every workload here. */
    static final int BLOCK = 4096;
    /** Long enough for a loaded two-core machine to connect two daemons on loopback. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern CONNECTION = Pattern.compile("connection:(\\S+)");
    private static final Pattern REPLICATION = Pattern.compile("replication:(\\S+)");
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private PeerClusters() {
    }

    /**
     * A fresh cluster to replication with alpha Primary, as DRBD's "skip initial sync": {@code create-md} and
     * {@code up} on every node, wait until every node is Connected and Established with every peer,
     * {@code new-current-uuid --clear-bitmap} on alpha, wait until every node's local disk is UpToDate, then
     * {@code primary} (no --force) on alpha.
     */
    static void bootstrap(TestCluster cluster) {
        cluster.createMd();
        cluster.up();
        awaitEstablished(cluster);
        cluster.require("alpha", "new-current-uuid", "--clear-bitmap", TestCluster.RESOURCE);
        for (ClusterNode node : cluster.nodes()) {
            cluster.waitFor(node.name(), StatusProbe.DSTATE, dstate -> dstate.startsWith("UpToDate"),
                CONNECT_TIMEOUT);
        }
        cluster.primary("alpha", false);
    }

    /**
     * Waits until {@code status --verbose r0} on every node shows every connection Connected and every peer device
     * Established.
     */
    static void awaitEstablished(TestCluster cluster) {
        int peers = cluster.nodes().size() - 1;
        int peerDevices = peers * cluster.options().volumeCount();
        for (ClusterNode node : cluster.nodes()) {
            long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
            while (true) {
                CommandResult result = cluster.run(node.name(), "status", "--verbose", TestCluster.RESOURCE);
                String status = result.ok() ? result.out() : "";
                if (all(CONNECTION, status, "Connected", peers) && all(REPLICATION, status, "Established",
                    peerDevices)) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("on " + node.name() + ": not Connected and Established within "
                        + CONNECT_TIMEOUT.toSeconds() + " s; last: " + result.describe() + "\n" + cluster.logTails());
                }
                sleep(POLL_INTERVAL);
            }
        }
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
            RunSummary run = workload.run(client, writes, Duration.ofSeconds(60));
            assertThat(run.acked()).as("%s\n%s", run, cluster.logTails()).isEqualTo(writes);
            client.flush().get(30, TimeUnit.SECONDS);
            return run;
        }
    }

    /** SHA-256 (hex) of {@code bytes} zero bytes: the data area of a volume nothing was ever written to. */
    static String zerosDigest(long bytes) throws Exception {
        try (InMemoryVolume zeros = new InMemoryVolume(bytes)) {
            return BlockPatterns.sha256Hex(zeros);
        }
    }

    /** Whether {@code pattern} matches exactly {@code count} times in {@code text}, each time with {@code value}. */
    private static boolean all(Pattern pattern, String text, String value, int count) {
        Matcher matcher = pattern.matcher(text);
        List<String> values = matcher.results().map(match -> match.group(1)).toList();
        return values.size() == count && values.stream().allMatch(value::equals);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", interrupted);
        }
    }
}

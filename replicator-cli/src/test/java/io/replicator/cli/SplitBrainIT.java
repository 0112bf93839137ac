package io.replicator.cli;

import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Split brain and role changes between real daemons, named after DRBD's scenarios (drbd.md §11): split-brain
 * (detected on both nodes, manual recovery with {@code --discard-my-data}), after-sb-0pri discard-zero-changes
 * resolving and falling through, after-sb-1pri discard-secondary, two-primaries-reject, switch-primaries,
 * lost-primary-after-no-writes and revert-older-data. Every scenario ends with identical copies or with both nodes
 * StandAlone and the split brain in both logs.
 */
@Timeout(300)
class SplitBrainIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String R = TestCluster.RESOURCE;

    @TempDir
    Path folder;

    @Test
    void splitBrain_isDetectedOnBothNodes_andDiscardMyDataRecovers() throws Exception {
        try (TestCluster cluster = cluster("")) {
            diverge(cluster, true, true);
            assertThat(cluster.cstate("alpha")).startsWith("StandAlone");
            assertThat(cluster.cstate("bravo")).startsWith("StandAlone");
            assertThat(cluster.logTail("alpha", 300)).contains("split brain");
            assertThat(cluster.logTail("bravo", 300)).contains("split brain");
            assertThat(cluster.dataSha256("alpha", 0)).isNotEqualTo(cluster.dataSha256("bravo", 0));

            cluster.require("bravo", "connect", "--discard-my-data", R);
            cluster.require("alpha", "connect", R);
            ResyncIT.awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
        }
    }

    @Test
    void afterSb0pri_discardZeroChanges_resolves_whenOnlyOneNodeWrote() throws Exception {
        try (TestCluster cluster = cluster("after-sb-0pri discard-zero-changes;")) {
            diverge(cluster, true, false);
            ResyncIT.awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            assertThat(cluster.logTail("bravo", 300)).contains("discard-zero-changes");
        }
    }

    @Test
    void afterSb0pri_discardZeroChanges_fallsThroughToDisconnect_whenBothWrote() throws Exception {
        try (TestCluster cluster = cluster("after-sb-0pri discard-zero-changes;")) {
            diverge(cluster, true, true);
            assertThat(cluster.cstate("alpha")).startsWith("StandAlone");
            assertThat(cluster.cstate("bravo")).startsWith("StandAlone");
            assertThat(cluster.logTail("bravo", 300)).contains("split brain");
            assertThat(cluster.dataSha256("alpha", 0)).isNotEqualTo(cluster.dataSha256("bravo", 0));
        }
    }

    @Test
    void afterSb1pri_discardSecondary_keepsThePrimarysData() throws Exception {
        try (TestCluster cluster = cluster("after-sb-1pri discard-secondary;")) {
            splitWrites(cluster, true, true);
            // alpha stays Primary; bravo is demoted: one Primary when they meet.
            cluster.secondary("bravo");
            cluster.require("bravo", "connect", R);
            cluster.require("alpha", "connect", R);
            ResyncIT.awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
        }
    }

    @Test
    void twoPrimariesReject_twoPrimariesNeverConnect() throws Exception {
        try (TestCluster cluster = cluster("")) {
            cluster.bootstrap("alpha");
            cluster.require("bravo", "disconnect", R);
            cluster.primary("bravo", false);
            cluster.require("bravo", "connect", R);
            PeerClusters.awaitCstate(cluster, "bravo", "StandAlone", TIMEOUT);
            assertThat(cluster.role("alpha")).startsWith("Primary");
            assertThat(cluster.role("bravo")).startsWith("Primary");
        }
    }

    @Test
    void switchPrimaries_theRolesMoveWithoutAResync() throws Exception {
        try (TestCluster cluster = cluster("")) {
            cluster.bootstrap("alpha");
            WriteWorkload first = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 4096, 4);
            PeerClusters.write(cluster, "alpha", first, 300);
            cluster.secondary("alpha");
            cluster.primary("bravo", false);
            PeerClusters.write(cluster, "bravo", new WriteWorkload(first.seed() + 1, PeerClusters.BLOCK, 4096, 4), 300);
            ReplicationIT.awaitIdentical(cluster, "bravo", "alpha");
            assertThat(cluster.logTail("alpha", 300)).doesNotContain("resync started");
        }
    }

    @Test
    void lostPrimaryAfterNoWrites_theOldPrimaryRejoinsWithIdenticalData() throws Exception {
        try (TestCluster cluster = cluster("")) {
            cluster.bootstrap("alpha");
            PeerClusters.write(cluster, "alpha", WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 4096, 4), 300);
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            cluster.kill9("alpha");
            PeerClusters.awaitCstate(cluster, "bravo", "Connecting", TIMEOUT);
            cluster.primary("bravo", false);
            cluster.restart("alpha");
            ResyncIT.awaitUpToDate(cluster, "alpha");
            ReplicationIT.awaitIdentical(cluster, "bravo", "alpha");
        }
    }

    @Test
    void revertOlderData_discardMyDataReversesTheResync() throws Exception {
        try (TestCluster cluster = cluster("")) {
            cluster.bootstrap("alpha");
            String before = cluster.dataSha256("bravo", 0);
            cluster.require("bravo", "disconnect", R);
            PeerClusters.awaitCstate(cluster, "alpha", "Connecting", TIMEOUT);
            PeerClusters.write(cluster, "alpha", WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 4096, 4), 200);
            cluster.secondary("alpha");
            cluster.require("alpha", "disconnect", R);
            cluster.require("alpha", "connect", "--discard-my-data", R);
            cluster.require("bravo", "connect", R);
            ResyncIT.awaitUpToDate(cluster, "alpha");
            ReplicationIT.awaitIdentical(cluster, "bravo", "alpha");
            assertThat(cluster.dataSha256("alpha", 0)).isEqualTo(before);
            assertThat(cluster.logTail("alpha", 300)).contains("reverting to older data");
        }
    }

    private TestCluster cluster(String netOptions) {
        return TestCluster.builder(folder).size("64M").diskOptions(PeerClusters.FAST_RESYNC).netOptions(netOptions)
            .build();
    }

    /**
     * Both nodes become Primary apart (a split brain), alpha and/or bravo write, both demote and reconnect; waits
     * until the handshake is over: Established, or StandAlone on both nodes when the split brain is not resolved.
     */
    private static void diverge(TestCluster cluster, boolean alphaWrites, boolean bravoWrites) throws Exception {
        splitWrites(cluster, alphaWrites, bravoWrites);
        cluster.secondary("alpha");
        cluster.secondary("bravo");
        cluster.require("bravo", "connect", R);
        cluster.require("alpha", "connect", R);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean standAlone = cluster.cstate("alpha").startsWith("StandAlone")
                && cluster.cstate("bravo").startsWith("StandAlone");
            boolean replicating = cluster.status("bravo").contains("peer-disk:");
            if (standAlone || (replicating && !cluster.status("bravo").contains("Connecting"))) {
                return;
            }
            Thread.sleep(300);
        }
    }

    private static void splitWrites(TestCluster cluster, boolean alphaWrites, boolean bravoWrites) throws Exception {
        cluster.bootstrap("alpha");
        cluster.require("bravo", "disconnect", R);
        cluster.require("alpha", "disconnect", R);
        cluster.primary("bravo", false);
        WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 4096, 4);
        System.out.println("seed " + workload.seed());
        if (alphaWrites) {
            PeerClusters.write(cluster, "alpha", workload, 100);
        }
        if (bravoWrites) {
            PeerClusters.write(cluster, "bravo", new WriteWorkload(workload.seed() + 1, PeerClusters.BLOCK, 4096, 4),
                100);
        }
    }
}

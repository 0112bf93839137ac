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
 * Resync ordering and conflicts between real daemons (DRBD scenarios resync-after and two-primaries-reject /
 * rr-conflict): a volume whose {@code resync-after} names another waits (PausedSyncT, {@code dependency}) until
 * that one is done; a Primary that would become sync target is refused by default and resynced under
 * {@code rr-conflict violently}, while it keeps writing, ending identical.
 */
@Timeout(300)
class ResyncOrderIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String R = TestCluster.RESOURCE;
    /** A fixed, moderate rate, so that a resync lasts long enough to watch. */
    private static final String STEADY = "c-plan-ahead 0; resync-rate 150M;";

    @TempDir
    Path folder;

    @Test
    void resyncAfter_theSecondVolumeWaitsForTheFirst() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("512M").volumes(2).diskOptions(STEADY)
            .editNode("bravo", text -> text.replace("      device /dev/drbd1;\n",
                "      device /dev/drbd1;\n      disk { resync-after r0/0; }\n"))
            .build()) {
            cluster.createMd();
            cluster.up();
            cluster.awaitReplicating("alpha", PeerClusters.CONNECT_TIMEOUT);
            cluster.primary("alpha", true);
            String waiting = cluster.waitFor("bravo", out -> out.contains("resync-suspended:dependency"), TIMEOUT);
            assertThat(waiting).contains("PausedSyncT").contains("SyncTarget");
            ResyncIT.awaitUpToDate(cluster, "bravo");
            for (int volume = 0; volume < 2; volume++) {
                assertThat(cluster.dataSha256("bravo", volume)).isEqualTo(cluster.dataSha256("alpha", volume));
            }
        }
    }

    @Test
    void rrConflict_disconnect_refusesToResyncOntoAPrimary() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("64M").diskOptions(PeerClusters.FAST_RESYNC)
            .build()) {
            bravoWritesWhileAlphaStaysPrimary(cluster, 500);
            PeerClusters.awaitCstate(cluster, "alpha", "StandAlone", TIMEOUT);
            assertThat(cluster.logTail("alpha", 300)).contains("rr-conflict");
            assertThat(cluster.role("alpha")).startsWith("Primary");
        }
    }

    @Test
    void rrConflict_violently_resyncsOntoThePrimaryWhileItWrites() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("256M").diskOptions(STEADY)
            .netOptions("rr-conflict violently;").build()) {
            bravoWritesWhileAlphaStaysPrimary(cluster, 20000);
            cluster.waitFor("alpha", out -> out.contains("SyncTarget"), TIMEOUT);
            WriteWorkload during = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 65536, 8);
            System.out.println("seed during resync " + during.seed());
            PeerClusters.write(cluster, "alpha", during, 3000);
            ResyncIT.awaitUpToDate(cluster, "alpha");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
        }
    }

    /** alpha stays Primary and idle while bravo, promoted apart, writes {@code writes} blocks; then they meet. */
    private static void bravoWritesWhileAlphaStaysPrimary(TestCluster cluster, int writes) throws Exception {
        cluster.bootstrap("alpha");
        cluster.require("bravo", "disconnect", R);
        cluster.require("alpha", "disconnect", R);
        cluster.primary("bravo", false);
        WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 65536 / 4, 8);
        System.out.println("seed " + workload.seed());
        PeerClusters.write(cluster, "bravo", workload, writes);
        cluster.secondary("bravo");
        cluster.require("bravo", "connect", R);
        cluster.require("alpha", "connect", R);
    }
}

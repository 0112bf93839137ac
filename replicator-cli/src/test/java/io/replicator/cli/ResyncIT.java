package io.replicator.cli;

import io.replicator.fixtures.cluster.StatusProbe;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resync between real daemons on loopback, named after DRBD's own test scenarios (drbd.md §11): the initial full
 * sync, a bitmap-based resync after a disconnect, writes during a resync, a resync cut and resumed, and the resync
 * after a Primary crashed. After each, the two data areas are byte-identical (SHA-256).
 */
@Timeout(300)
class ResyncIT {
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(120);
    /** A fixed, moderate rate, so that a resync lasts long enough to interrupt. */
    private static final String STEADY = "c-plan-ahead 0; resync-rate 100M;";

    @TempDir
    Path folder;

    @Test
    void resyncInitial_fullSyncAfterCreateMdAndPrimaryForce() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("64M").diskOptions(PeerClusters.FAST_RESYNC).build()) {
            cluster.createMd();
            cluster.up();
            cluster.awaitReplicating("alpha", PeerClusters.CONNECT_TIMEOUT);
            assertThat(cluster.dstate("alpha")).startsWith("Inconsistent/Inconsistent");
            cluster.primary("alpha", true);
            var waited = cluster.require("bravo", "wait-sync", "--timeout", "120", TestCluster.RESOURCE);
            System.out.println(waited.out());
            assertThat(cluster.dstate("bravo")).isEqualTo("UpToDate/UpToDate\n");
            awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            assertThat(cluster.logTail("bravo", 400)).contains("resync done as SyncTarget");
        }
    }

    @Test
    void resync_onlyTheBlocksWrittenWhileDisconnectedTravel() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("64M").diskOptions(PeerClusters.FAST_RESYNC).build()) {
            cluster.bootstrap("alpha");
            cluster.require("bravo", "disconnect", TestCluster.RESOURCE);
            PeerClusters.awaitCstate(cluster, "alpha", "Connecting", PeerClusters.CONNECT_TIMEOUT);
            WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 16384, 4);
            System.out.println("seed " + workload.seed());
            PeerClusters.write(cluster, "alpha", workload, 160);
            cluster.require("bravo", "connect", TestCluster.RESOURCE);
            awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            String log = cluster.logTail("bravo", 400);
            assertThat(log).contains("target-use-bitmap").contains("resync done as SyncTarget");
        }
    }

    @Test
    void writeDuringResync_applicationWritesContinueAndTheCopiesEndIdentical() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("256M").diskOptions(PeerClusters.FAST_RESYNC).build()) {
            cluster.createMd();
            cluster.up();
            cluster.awaitReplicating("alpha", PeerClusters.CONNECT_TIMEOUT);
            cluster.primary("alpha", true);
            WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 65536, 8);
            System.out.println("seed " + workload.seed());
            PeerClusters.write(cluster, "alpha", workload, 3000);
            awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            // c-min-rate (default 250 KiB/s): the writes held the resync back on both sides.
            assertThat(cluster.logTail("alpha", 2000)).contains("resync held back by c-min-rate");
            assertThat(cluster.logTail("bravo", 2000)).contains("resync held back by c-min-rate");
        }
    }

    @Test
    void resyncInterrupt_aCutResyncResumesFromTheBitmap() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("512M").diskOptions(PeerClusters.FAST_RESYNC).build()) {
            startInitialSync(cluster);
            cluster.require("bravo", "disconnect", TestCluster.RESOURCE);
            assertThat(cluster.dstate("bravo")).startsWith("Inconsistent");
            cluster.require("bravo", "connect", TestCluster.RESOURCE);
            awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            String log = cluster.logTail("bravo", 600);
            assertThat(log).contains("use-bitmap");
        }
    }

    @Test
    void resyncAfterPrimaryCrash_theOldPrimaryComesBackAsTarget() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("64M").diskOptions(PeerClusters.FAST_RESYNC).build()) {
            cluster.bootstrap("alpha");
            WriteWorkload before = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 16384, 4);
            System.out.println("seed " + before.seed());
            PeerClusters.write(cluster, "alpha", before, 300);
            cluster.kill9("alpha");
            PeerClusters.awaitCstate(cluster, "bravo", "Connecting", PeerClusters.CONNECT_TIMEOUT);
            cluster.primary("bravo", false);
            PeerClusters.write(cluster, "bravo", new WriteWorkload(before.seed() + 1, PeerClusters.BLOCK, 16384, 4),
                300);
            cluster.restart("alpha");
            awaitUpToDate(cluster, "alpha");
            ReplicationIT.awaitIdentical(cluster, "bravo", "alpha");
        }
    }

    @Test
    void aheadBehind_pullAheadResyncsWhatThePeerMissedOnceTheCongestionDrains() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("64M").diskOptions(PeerClusters.FAST_RESYNC)
            .protocol(io.replicator.core.config.Protocol.A)
            .netOptions("on-congestion pull-ahead; congestion-fill 64k;").build()) {
            cluster.bootstrap("alpha");
            WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 16384, 16);
            System.out.println("seed " + workload.seed());
            PeerClusters.write(cluster, "alpha", workload, 4000);
            awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            assertThat(cluster.logTail("alpha", 1000)).contains("congestion toward bravo drained");
        }
    }

    @Test
    void resyncInterruptVariants_theTargetCrashesMidResync_andResumes() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("512M").diskOptions(STEADY).build()) {
            startInitialSync(cluster);
            Thread.sleep(1000);
            cluster.kill9("bravo");
            cluster.restart("bravo");
            assertThat(cluster.dstate("bravo")).startsWith("Inconsistent");
            awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            assertThat(cluster.logTail("bravo", 600)).contains("use-bitmap");
        }
    }

    @Test
    void resyncInterruptVariants_theSourceCrashesMidResync_andTheTargetStaysInconsistent() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("512M").diskOptions(STEADY).build()) {
            startInitialSync(cluster);
            cluster.kill9("alpha");
            PeerClusters.awaitCstate(cluster, "bravo", "Connecting", PeerClusters.CONNECT_TIMEOUT);
            assertThat(cluster.dstate("bravo")).startsWith("Inconsistent");
            // Inconsistent data cannot be promoted without --force.
            assertThat(cluster.run("bravo", "primary", TestCluster.RESOURCE).ok()).isFalse();
            cluster.restart("alpha");
            awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
        }
    }

    @Test
    void resyncAfterPrimaryCrash_onlyTheCrashedPrimarysActivityLogIsResynced_fromTheSurvivorUnderProtocolC()
            throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("256M").diskOptions(PeerClusters.FAST_RESYNC
            + " al-extents 7;").build()) {
            cluster.bootstrap("alpha");
            WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 65536, 8);
            System.out.println("seed " + workload.seed());
            PeerClusters.write(cluster, "alpha", workload, 2000);
            cluster.kill9("alpha");
            PeerClusters.awaitCstate(cluster, "bravo", "Connecting", PeerClusters.CONNECT_TIMEOUT);
            cluster.restart("alpha");
            awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            String log = cluster.logTail("alpha", 600);
            // Equal current ids, alpha crashed as Primary, bravo stayed up: under protocol C bravo holds every
            // acknowledged write, so bravo is the source (drbd.md 4: the crashed-primary rule is for A and B).
            assertThat(log).contains("target-use-bitmap").contains("protocol C: the crashed Primary's acknowledged "
                + "writes are all on the peer").contains("resync done as SyncTarget");
            // At most al-extents (7) x 4 MiB were marked by the activity-log replay.
            java.util.regex.Matcher sent = java.util.regex.Pattern.compile("sent bitmap \\((\\d+) KiB marked\\)")
                .matcher(log);
            assertThat(sent.find()).isTrue();
            assertThat(Long.parseLong(sent.group(1))).isPositive().isLessThanOrEqualTo(7 * 4096);
        }
    }

    @Test
    void resync_threeNodes_bothReturningSecondariesCatchUp() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).nodes(3).size("64M")
            .diskOptions(PeerClusters.FAST_RESYNC).build()) {
            cluster.bootstrap("alpha");
            cluster.require("bravo", "disconnect", TestCluster.RESOURCE);
            cluster.require("charlie", "disconnect", TestCluster.RESOURCE);
            WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 16384, 4);
            System.out.println("seed " + workload.seed());
            PeerClusters.write(cluster, "alpha", workload, 500);
            cluster.require("bravo", "connect", TestCluster.RESOURCE);
            cluster.require("charlie", "connect", TestCluster.RESOURCE);
            awaitUpToDate3(cluster, "bravo");
            awaitUpToDate3(cluster, "charlie");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "charlie");
        }
    }

    /**
     * A Secondary records for an absent peer what it receives from the Primary: charlie, away while alpha wrote to
     * bravo, later finds only bravo (alpha is down) and gets every block from bravo's bitmap.
     */
    @Test
    void resync_threeNodes_secondaryRecordsForAbsentPeer() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).nodes(3).size("64M")
            .diskOptions(PeerClusters.FAST_RESYNC).build()) {
            cluster.bootstrap("alpha");
            cluster.require("charlie", "disconnect", TestCluster.RESOURCE);
            WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 16384, 4);
            System.out.println("seed " + workload.seed());
            PeerClusters.write(cluster, "alpha", workload, 500);
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            cluster.require("alpha", "down", TestCluster.RESOURCE);
            cluster.require("charlie", "connect", TestCluster.RESOURCE);
            // From bravo's bitmap (not a full sync, which would hide a missing mark).
            PeerClusters.awaitLog(cluster, "charlie", "with bravo: sync decision: target-use-bitmap", SYNC_TIMEOUT);
            PeerClusters.awaitLog(cluster, "charlie", "with bravo: resync done as SyncTarget", SYNC_TIMEOUT);
            ReplicationIT.awaitIdentical(cluster, "bravo", "charlie");
        }
    }

    private static void awaitUpToDate3(TestCluster cluster, String node) {
        cluster.waitFor(node, s -> s.contains("disk:UpToDate") && !s.contains("Inconsistent")
            && !s.contains("Sync"), SYNC_TIMEOUT);
        cluster.awaitReplicating(node, SYNC_TIMEOUT);
    }

    /** Fresh metadata on both nodes, {@code primary --force} on alpha, and waits until bravo's resync makes progress. */
    private static void startInitialSync(TestCluster cluster) {
        cluster.createMd();
        cluster.up();
        cluster.awaitReplicating("alpha", PeerClusters.CONNECT_TIMEOUT);
        cluster.primary("alpha", true);
        cluster.waitFor("bravo", s -> s.contains("SyncTarget") && s.contains("done:"), SYNC_TIMEOUT);
    }

    /** Waits until {@code node}'s disk and its peer's are UpToDate and the connection replicates. */
    static void awaitUpToDate(TestCluster cluster, String node) {
        cluster.waitFor(node, StatusProbe.DSTATE,
            out -> !out.isBlank() && out.lines().allMatch("UpToDate/UpToDate"::equals), SYNC_TIMEOUT);
        cluster.awaitReplicating(node, SYNC_TIMEOUT);
    }
}

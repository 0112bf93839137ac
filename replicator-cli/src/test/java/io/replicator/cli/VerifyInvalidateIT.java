package io.replicator.cli;

import io.replicator.fixtures.cluster.StatusProbe;
import io.replicator.fixtures.cluster.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online verify, invalidate, checksum-based resync and pause/resume between real daemons (DRBD scenarios verify,
 * invalidate, checksum-resync): verify finds blocks that differ behind the replicator's back and marks them without
 * repairing; {@code invalidate --reset-bitmap=no} then resyncs exactly those; with {@code csums-alg} a full
 * {@code invalidate} moves no data for blocks that are already equal.
 */
@Timeout(300)
class VerifyInvalidateIT {
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path folder;

    @Test
    void verify_findsTheCorruptedBlocksAndInvalidateRepairsThem() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("64M").diskOptions(PeerClusters.FAST_RESYNC)
            .netOptions("verify-alg sha256;").build()) {
            cluster.bootstrap("alpha");
            PeerClusters.write(cluster, "alpha", io.replicator.net.nbd.client.WriteWorkload.withRandomSeed(
                PeerClusters.BLOCK, 16384, 4), 400);
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            corrupt(cluster.diskPath("bravo", 0), 3);
            assertThat(cluster.dataSha256("bravo", 0)).isNotEqualTo(cluster.dataSha256("alpha", 0));

            cluster.require("alpha", "verify", TestCluster.RESOURCE);
            PeerClusters.awaitLog(cluster, "alpha", "online verify done", SYNC_TIMEOUT);
            assertThat(cluster.logTail("alpha", 200)).contains("found 3 4k blocks out of sync");
            cluster.awaitReplicating("alpha", SYNC_TIMEOUT);
            // Marked, not repaired.
            assertThat(cluster.dataSha256("bravo", 0)).isNotEqualTo(cluster.dataSha256("alpha", 0));
            assertThat(cluster.run("bravo", "status", "--verbose", "--statistics", TestCluster.RESOURCE).out())
                .contains("out-of-sync:12");

            cluster.require("bravo", "invalidate", "--reset-bitmap=no", TestCluster.RESOURCE);
            ResyncIT.awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
        }
    }

    @Test
    void checksumResync_equalBlocksAreNotSentAgain() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("64M").diskOptions(PeerClusters.FAST_RESYNC)
            .netOptions("csums-alg crc32c;").build()) {
            cluster.bootstrap("alpha");
            cluster.require("bravo", "invalidate", TestCluster.RESOURCE);
            ResyncIT.awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
            assertThat(cluster.logTail("bravo", 200)).contains("65536 KiB equal by checksum");
        }
    }

    @Test
    void invalidateRemote_theLocalNodeSyncsThePeer() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("64M").diskOptions(PeerClusters.FAST_RESYNC).build()) {
            cluster.bootstrap("alpha");
            corrupt(cluster.diskPath("bravo", 0), 5);
            cluster.require("alpha", "invalidate-remote", TestCluster.RESOURCE);
            ResyncIT.awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
        }
    }

    @Test
    void pauseSync_holdsTheResyncUntilResumed() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).size("256M").diskOptions(PeerClusters.FAST_RESYNC).build()) {
            cluster.createMd();
            cluster.up();
            cluster.awaitReplicating("alpha", PeerClusters.CONNECT_TIMEOUT);
            cluster.require("bravo", "pause-sync", TestCluster.RESOURCE);
            cluster.primary("alpha", true);
            String paused = cluster.waitFor("bravo", out -> out.contains("PausedSyncT"), SYNC_TIMEOUT);
            assertThat(paused).contains("resync-suspended:user");
            Thread.sleep(1500);
            assertThat(cluster.status("bravo")).contains("PausedSyncT").contains("done:0.00");
            cluster.require("bravo", "resume-sync", TestCluster.RESOURCE);
            ResyncIT.awaitUpToDate(cluster, "bravo");
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
        }
    }

    /** Overwrites {@code blocks} 4 KiB blocks spread over the first 32 MiB of a data file with random bytes. */
    private static void corrupt(Path disk, int blocks) throws Exception {
        Random random = new Random(7);
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            for (int i = 0; i < blocks; i++) {
                byte[] garbage = new byte[4096];
                random.nextBytes(garbage);
                file.seek((long) (i * 1000 + 17) * 4096);
                file.write(garbage);
            }
            file.getFD().sync();
        }
    }
}

package io.replicator.core.resource;

import io.netty.buffer.Unpooled;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.replication.ReplicaTarget;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How far a Secondary got with a Primary it lost ({@link LastWrite}) decides which of two Secondaries reconciles the
 * other. It lived in memory only: a Secondary that lost the Primary, then crashed and restarted, reported no last
 * write, and the reconciliation picked the other Secondary by a tie-break — which had missed the Primary's last
 * writes and overwrote them (simulation seed -180224023637855810, three nodes). Now the loss records it on disk,
 * the restart reads it back, and the next session forgets it on disk (newer writes may follow) but not in memory.
 */
@Timeout(30)
class LastWriteSurvivesRestartTest {
    private static final int ALPHA = 0;

    @Test
    void theLastWriteOfALostPrimaryIsRecordedAndReadBackAfterARestart() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        HeapVolume volume = TestNode.start(network, "bravo", 3, "").volume();
        network.connectAsTwin("alpha");
        ReplicaTarget fromAlpha = network.primaryTwin("alpha");
        fromAlpha.write(0, 0, Unpooled.wrappedBuffer(new byte[4096]));
        fromAlpha.applied(77);
        assertThat(recorded(volume)).as("nothing recorded while alpha is connected").isEqualTo(LastWrite.NONE);

        network.lose("alpha", "alpha died");

        LastWrite got = new LastWrite(ALPHA, 77);
        awaitRecorded(volume, got);

        // bravo's process dies; a new one starts on the same disk and meets charlie.
        ScriptedPeers afterRestart = new ScriptedPeers();
        TestNode.restart(afterRestart, "bravo", 3, "", volume);
        afterRestart.connectAsTwin("charlie");
        List<VolumeReport> reports = afterRestart.reportsTo("charlie");
        assertThat(reports).as("the restarted node tells charlie how far it got").isNotEmpty()
            .allSatisfy(report -> assertThat(report.lastWrite()).isEqualTo(got));

        // That session may bring newer writes: the disk no longer claims the old one.
        awaitRecorded(volume, LastWrite.NONE);
    }

    /**
     * The process dies while the Primary is still connected, so nothing was recorded on disk: the memo, which follows
     * every write and outlives the process, says how far it got (simulation seed 7024146964926916655: the restarted
     * Secondary reported no last write and was resynced from a Secondary that had missed writes it had acknowledged).
     */
    @Test
    void aProcessCrashWhileThePrimaryIsConnected_readsTheLastWriteBackFromTheMemo() throws Exception {
        LastWrite[] kept = {LastWrite.NONE};
        LastWriteMemo memo = new LastWriteMemo() {
            @Override
            public void record(LastWrite last) {
                kept[0] = last;
            }

            @Override
            public LastWrite recall() {
                return kept[0];
            }
        };
        ScriptedPeers network = new ScriptedPeers();
        HeapVolume volume = TestNode.start(network, "bravo", 3, "", memo).volume();
        network.connectAsTwin("alpha");
        ReplicaTarget fromAlpha = network.primaryTwin("alpha");
        fromAlpha.write(0, 0, Unpooled.wrappedBuffer(new byte[4096]));
        fromAlpha.applied(78);
        assertThat(recorded(volume)).as("nothing on disk while alpha is connected").isEqualTo(LastWrite.NONE);

        // bravo's process dies without a word to anyone; a new one starts on the same disk and meets charlie.
        ScriptedPeers afterRestart = new ScriptedPeers();
        TestNode.restart(afterRestart, "bravo", 3, "", volume, memo);
        afterRestart.connectAsTwin("charlie");

        assertThat(afterRestart.reportsTo("charlie")).isNotEmpty()
            .allSatisfy(report -> assertThat(report.lastWrite()).isEqualTo(new LastWrite(ALPHA, 78)));
    }

    private static void awaitRecorded(HeapVolume volume, LastWrite expected) throws Exception {
        ScriptedPeers.await("the superblock records " + expected, () -> {
            try {
                return recorded(volume).equals(expected);
            } catch (IOException unreadable) {
                throw new AssertionError(unreadable);
            }
        });
    }

    private static LastWrite recorded(HeapVolume volume) throws IOException {
        try (BackingDisk disk = BackingDisk.open(volume, Optional.empty())) {
            Superblock superblock = disk.metadata().current();
            return superblock.lastWrite();
        }
    }
}

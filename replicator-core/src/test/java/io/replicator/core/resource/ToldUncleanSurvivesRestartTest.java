package io.replicator.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.PeerFlag;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.testing.HeapVolume;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node back from a machine crash tells each peer once that its data may lack unflushed writes
 * ({@code UNCLEAN_RESTART}); which peers were told is kept on disk ({@link PeerFlag#TOLD_UNCLEAN}), so that a later
 * crash of the process (which loses nothing) does not make the restart news again. Before, it did: the peer holding
 * a crashed Primary's last write, SIGKILLed since, told it again, looked suspect itself, and the crashed Primary's
 * older copy overwrote the write (simulation seed -6331408367274708443, three nodes).
 */
@Timeout(30)
class ToldUncleanSurvivesRestartTest {
    @Test
    void aPeerToldOfTheUncleanRestartIsNotToldAgainAfterAProcessCrash() throws Exception {
        HeapVolume volume = TestNode.start(new ScriptedPeers(), "bravo", 3, "").volume();
        try (BackingDisk disk = BackingDisk.open(volume, Optional.empty())) {
            disk.metadata().write(disk.metadata().current().withFlag(MetadataFlag.UNCLEAN_RESTART, true));
        }

        ScriptedPeers first = new ScriptedPeers();
        TestNode.restart(first, "bravo", 3, "", volume);
        first.connectAsTwin("alpha");
        assertThat(first.reportsTo("alpha")).isNotEmpty().allMatch(VolumeReport::restartedUnclean);
        ScriptedPeers.await("alpha's told flag on disk", () -> told(volume, 0));

        ScriptedPeers afterProcessCrash = new ScriptedPeers();
        TestNode.restart(afterProcessCrash, "bravo", 3, "", volume);
        afterProcessCrash.connectAsTwin("alpha");
        afterProcessCrash.connectAsTwin("charlie");

        assertThat(afterProcessCrash.reportsTo("alpha")).as("told before the process crash")
            .isNotEmpty().noneMatch(VolumeReport::restartedUnclean);
        assertThat(afterProcessCrash.reportsTo("charlie")).as("never told")
            .isNotEmpty().anyMatch(VolumeReport::restartedUnclean);
    }

    private static boolean told(HeapVolume volume, int peer) {
        try (BackingDisk disk = BackingDisk.open(volume, Optional.empty())) {
            return disk.metadata().current().peerHas(peer, PeerFlag.TOLD_UNCLEAN);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

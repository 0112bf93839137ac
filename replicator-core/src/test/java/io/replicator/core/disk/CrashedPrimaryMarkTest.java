package io.replicator.core.disk;

import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that crashed as Primary comes back Secondary: the attach turns the on-disk "Primary" indication into the
 * crashed-primary mark, and the indication itself is gone (DRBD writes MDF_PRIMARY_IND from the current role at every
 * metadata write). Left set, every later restart marked the node a crashed Primary again — after a resync had made
 * it a copy of its peer — and the handshake made it the source of a resync that overwrote the peer's acknowledged
 * writes (simulation seed 4530031755825001694, two nodes).
 */
@Timeout(10)
class CrashedPrimaryMarkTest {
    private static final long DATA = 8L << 20;

    @Test
    void attachTurnsThePrimaryIndicationIntoTheCrashedMarkOnce() throws Exception {
        HeapVolume backing = new HeapVolume(MetadataLayout.internalForDataSize(DATA, 1,
            MetadataLayout.DEFAULT_AL_SIZE_BYTES).backingSizeBytes());
        BackingDisk.create(backing, Optional.empty(), new BackingDisk.Format(0, List.of(1), 1, 1237, DATA, 1)).close();
        try (BackingDisk disk = BackingDisk.open(backing, Optional.empty())) {
            disk.metadata().write(disk.metadata().current().withFlag(MetadataFlag.PRIMARY_IND, true));
        }
        // The crash: no clean detach. The node comes back as Secondary.
        try (AttachedDisk disk = AttachedDisk.attach(BackingDisk.open(backing, Optional.empty()), 1237)) {
            assertThat(disk.backing().metadata().current().has(MetadataFlag.CRASHED_PRIMARY)).isTrue();
            assertThat(disk.backing().metadata().current().has(MetadataFlag.PRIMARY_IND))
                .as("attached as Secondary: no longer Primary on disk").isFalse();
            // A resync as target (or a no-sync handshake) clears the mark.
            disk.backing().metadata().write(disk.backing().metadata().current()
                .withFlag(MetadataFlag.CRASHED_PRIMARY, false));
        }
        try (AttachedDisk disk = AttachedDisk.attach(BackingDisk.open(backing, Optional.empty()), 1237)) {
            assertThat(disk.backing().metadata().current().has(MetadataFlag.CRASHED_PRIMARY))
                .as("a later restart as Secondary is not a crash as Primary").isFalse();
        }
    }
}

package io.replicator.core.resource;

import io.netty.buffer.Unpooled;
import io.replicator.core.config.Configuration;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H5: a Secondary that applies writes from the Primary while a third node is away marks them for that node, in
 * memory. A crash of the Secondary must not lose those marks, or a later bitmap resync to the third node copies
 * nothing: the writes are pinned in the activity log, whose replay marks them again.
 */
@Timeout(30)
class ThirdNodeMarksSurviveACrashTest {
    private static final long DATA = 8L << 20;

    @Test
    void aWriteFromThePrimaryIsStillMarkedForTheAbsentNodeAfterTheSecondaryCrashes() throws Exception {
        ResourceConfig config = Configuration.load("t.res", """
            resource r0 {
              on alpha { node-id 0; address 127.0.0.1:7000; volume 0 { device /dev/drbd3; disk /a; meta-disk internal; } }
              on bravo { node-id 1; address 127.0.0.1:7001; volume 0 { device /dev/drbd3; disk /b; meta-disk internal; } }
              on charlie { node-id 2; address 127.0.0.1:7002; volume 0 { device /dev/drbd3; disk /c; meta-disk internal; } }
            }
            """).resource("r0");
        HeapVolume volume = new HeapVolume(MetadataLayout.internalForDataSize(DATA, 2,
            MetadataLayout.DEFAULT_AL_SIZE_BYTES).backingSizeBytes());
        BackingDisk.create(volume, Optional.empty(), new BackingDisk.Format(1, List.of(0, 2), 2, 1237, DATA, 1))
            .close();
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor bravo = new ResourceConductor(config, "bravo", v -> BackingDisk.open(volume,
            Optional.empty()), (handler, command, env) -> { }, new SplittableRandom(1), network);
        assertThat(bravo.up().ok()).isTrue();
        assertThat(bravo.newCurrentUuid(true).ok()).isTrue();
        network.connectAsTwin("alpha");

        long offset = 12L << 20 >> 2; // 3 MiB: extent 0
        network.events("alpha").replicaTarget().orElseThrow()
            .write(0, offset, Unpooled.wrappedBuffer(new byte[4096]));

        // The crash: no clean detach; the next attach reads what reached the disk.
        AttachedDisk afterCrash = AttachedDisk.attach(BackingDisk.open(volume, Optional.empty()), 1237);
        int charlieSlot = afterCrash.backing().metadata().current().slotOf(2);
        assertThat(afterCrash.bitmaps().bitmap(charlieSlot).get(offset / 4096))
            .as("the write is marked for charlie after the crash").isTrue();
    }
}

package io.replicator.core.resource;

import io.netty.buffer.Unpooled;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Optional;

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
        ScriptedPeers network = new ScriptedPeers();
        HeapVolume volume = TestNode.start(network, "bravo", 3, "").volume();
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

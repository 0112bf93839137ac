package io.replicator.core.resource;

import io.netty.buffer.Unpooled;
import io.replicator.core.config.Configuration;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.replication.ReplicaTarget;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.DiskState;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A disk error on a write that crossed the network (H4, and H8's Primary half): on-io-error applies, and no copy that
 * missed a write may stay UpToDate or in sync as if it had it.
 */
@Timeout(30)
class LocalIoErrorOnReplicatedWriteTest {
    private static final long DATA = 8L << 20;
    private final ScriptedPeers network = new ScriptedPeers();
    private HeapVolume volume;

    private ResourceConductor node(String self, String onIoError) throws Exception {
        ResourceConfig config = Configuration.load("t.res", """
            resource r0 {
              disk { on-io-error %s; }
              on alpha { node-id 0; address 127.0.0.1:7000; volume 0 { device /dev/drbd3; disk /a; meta-disk internal; } }
              on bravo { node-id 1; address 127.0.0.1:7001; volume 0 { device /dev/drbd3; disk /b; meta-disk internal; } }
            }
            """.formatted(onIoError)).resource("r0");
        volume = new HeapVolume(MetadataLayout.internalForDataSize(DATA, 1, MetadataLayout.DEFAULT_AL_SIZE_BYTES)
            .backingSizeBytes());
        int selfId = self.equals("alpha") ? 0 : 1;
        BackingDisk.create(volume, Optional.empty(),
            new BackingDisk.Format(selfId, List.of(1 - selfId), 1, 1237, DATA, 1)).close();
        ResourceConductor conductor = new ResourceConductor(config, self, v -> BackingDisk.open(volume,
            Optional.empty()), (handler, command, env) -> { }, new SplittableRandom(3), network);
        assertThat(conductor.up().ok()).isTrue();
        assertThat(conductor.newCurrentUuid(true).ok()).isTrue();
        return conductor;
    }

    /** Applies a replicated write from alpha on bravo's disk, which fails. */
    private void failingReplicatedWrite() {
        ReplicaTarget target = network.events("alpha").replicaTarget().orElseThrow();
        volume.failNextWrite();
        assertThatThrownBy(() -> target.write(0, 4096, Unpooled.wrappedBuffer(new byte[4096])))
            .isInstanceOf(IOException.class);
    }

    @Test
    void aSecondaryThatKeepsItsDiskAfterAFailedReplicatedWriteIsNoLongerUpToDateOrPromotable() throws Exception {
        ResourceConductor bravo = node("bravo", "pass_on");
        network.connectAsTwin("alpha");

        failingReplicatedWrite();

        assertThat(bravo.diskStates()).isEqualTo(Map.of(0, DiskState.INCONSISTENT));
        assertThat(bravo.superblock(0).orElseThrow().has(MetadataFlag.CONSISTENT)).as("on disk too").isFalse();
        assertThat(bravo.primary(false).ok()).isFalse();
        assertThat(bravo.snapshot().connections().get(0).peerDevices().get(0).statistics().outOfSyncKiB())
            .as("the failed range is marked for alpha").isEqualTo(4);
    }

    @Test
    void aSecondaryWithOnIoErrorDetachGoesDiskless() throws Exception {
        ResourceConductor bravo = node("bravo", "detach");
        network.connectAsTwin("alpha");

        failingReplicatedWrite();

        assertThat(bravo.diskStates()).isEqualTo(Map.of(0, DiskState.DISKLESS));
        assertThat(bravo.primary(false).ok()).isFalse();
    }

    @Test
    void aPrimaryThatKeepsItsDiskAfterAFailedLocalWriteResyncsThePeerThatGotIt() throws Exception {
        ResourceConductor alpha = node("alpha", "pass_on");
        network.connectAsTwin("bravo");
        assertThat(alpha.primary(false).ok()).isTrue();
        VolumeIo io = alpha.io(0).orElseThrow();
        io.writeAsync(0, Unpooled.wrappedBuffer(new byte[4096]), false); // the extent is hot: no AL write next

        volume.failNextWrite();
        assertThatThrownBy(() -> io.write(8192, Unpooled.wrappedBuffer(new byte[4096]), false))
            .isInstanceOf(IOException.class);
        assertThat(network.writesTo("bravo")).as("bravo received the failed write").hasSize(2);

        assertThat(alpha.connectionStates()).containsEntry("bravo", ConnectionState.CONNECTED);
        assertThat(network.syncsTo("bravo")).extracting(SyncMessage::kind)
            .as("bravo is made sync target of the marked range").contains(SyncMessage.Kind.BECOME_TARGET);
        assertThat(alpha.snapshot().connections().get(0).peerDevices().get(0).statistics().outOfSyncKiB())
            .isEqualTo(4);
    }

    @Test
    void aSecondaryThatFallsBehindAnAheadPrimaryIsOutdatedUntilResynced() throws Exception {
        // H6: the Primary sends out-of-sync notices instead of data (pull-ahead); the Secondary used to stay
        // UpToDate and promotable without --force over stale blocks.
        ResourceConductor bravo = node("bravo", "detach");
        network.connectAsTwin("alpha");

        network.events("alpha").replicaTarget().orElseThrow().markOutOfSync(0, 4096, 4096);

        assertThat(bravo.diskStates()).isEqualTo(Map.of(0, DiskState.OUTDATED));
        assertThat(bravo.superblock(0).orElseThrow().has(MetadataFlag.OUTDATED)).isTrue();
        assertThat(bravo.primary(false).ok()).isFalse();
    }
}

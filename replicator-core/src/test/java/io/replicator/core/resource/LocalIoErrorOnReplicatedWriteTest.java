package io.replicator.core.resource;

import io.netty.buffer.Unpooled;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.replication.ReplicaTarget;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.DiskState;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.Map;

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

    /** Node {@code self} of alpha and bravo with {@code on-io-error onIoError}. */
    private ResourceConductor node(String self, String onIoError) throws Exception {
        TestNode node = TestNode.start(network, self, 2, "on-io-error " + onIoError + ";");
        volume = node.volume();
        return node.conductor();
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

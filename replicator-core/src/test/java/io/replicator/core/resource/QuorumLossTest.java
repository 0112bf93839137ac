package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.WriteRequest;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Quorum on one node of three (alpha), its peers played by {@link ScriptedPeers} (which never acknowledge a write):
 * no promotion without quorum, and a Primary that loses it completes no write — held, or failed with
 * {@code on-no-quorum io-error} —, starts no new generation, and records that it lost quorum as Primary.
 */
@Timeout(30)
class QuorumLossTest {
    private static final String MAJORITY = "quorum majority;";

    @Test
    void withoutQuorumNothingIsPromoted_notEvenWithForce() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor alpha = TestNode.start(network, "alpha", 3, "", MAJORITY).conductor();

        assertThat(alpha.primary(false).message()).contains("No quorum", "1 of 3 nodes visible, need 2 for quorum");
        assertThat(alpha.primary(true).message()).contains("--force does not override quorum");
        assertThat(alpha.snapshot().mayPromote()).isFalse();
        assertThat(alpha.snapshot().devices().get(0).quorum()).isFalse();

        network.connectAsTwin("bravo");
        assertThat(alpha.snapshot().devices().get(0).quorum()).isTrue();
        assertThat(alpha.snapshot().mayPromote()).isTrue();
        assertThat(alpha.primary(false).ok()).isTrue();
    }

    @Test
    void suspendIo_aPrimaryThatLosesQuorumHoldsItsWritesAndParksNewOnes_untilItComesBack() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        TestNode node = TestNode.start(network, "alpha", 3, "", MAJORITY);
        ResourceConductor alpha = node.conductor();
        VolumeIo io = promotedWith(network, alpha, "bravo");
        long generation = current(alpha);

        CompletableFuture<Void> inFlight = io.writeAsync(0, block((byte) 1), false);
        network.lose("bravo", "bravo died");

        assertThat(inFlight).as("the loss of the only peer would have completed it: held instead").isNotDone();
        assertThat(alpha.snapshot().suspended()).containsExactly("quorum");
        assertThat(alpha.superblock(0).orElseThrow().has(MetadataFlag.PRIMARY_LOST_QUORUM)).isTrue();
        assertThat(current(alpha)).as("no new generation: nothing was written without the peers").isEqualTo(generation);

        CompletableFuture<Void> parked = io.writeAsync(1L << 20, block((byte) 2), false);
        assertThat(parked).isNotDone();
        assertThat(read(io, 1L << 20)).as("a parked write touches nothing").isEqualTo(new byte[4096]);

        network.connectAsTwin("bravo");
        ScriptedPeers.await("quorum back", () -> alpha.snapshot().suspended().isEmpty());
        assertThat(inFlight).isCompletedExceptionally();
        assertThatThrownBy(inFlight::join).hasMessageContaining("quorum was lost while the write was in flight");
        ScriptedPeers.await("the parked write sent to bravo", () -> network.writesTo("bravo").stream()
            .anyMatch(write -> write.offset() == 1L << 20));
        assertThat(read(io, 1L << 20)[0]).isEqualTo((byte) 2);
        assertThat(alpha.superblock(0).orElseThrow().has(MetadataFlag.PRIMARY_LOST_QUORUM)).isFalse();
    }

    @Test
    void ioError_writesInFlightAndNewOnesFailAtOnce() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor alpha = TestNode.start(network, "alpha", 3, "", MAJORITY + " on-no-quorum io-error;")
            .conductor();
        VolumeIo io = promotedWith(network, alpha, "bravo");

        CompletableFuture<Void> inFlight = io.writeAsync(0, block((byte) 1), false);
        network.lose("bravo", "bravo died");

        assertThatThrownBy(inFlight::join).hasCauseInstanceOf(VolumeIo.NoQuorumException.class);
        assertThatThrownBy(() -> io.writeAsync(4096, block((byte) 2), false))
            .isInstanceOf(VolumeIo.NoQuorumException.class).hasMessageContaining("1 of 3 nodes visible");
        assertThat(alpha.snapshot().suspended()).as("io-error does not suspend").isEmpty();
    }

    @Test
    void demotingAFrozenPrimaryFailsWhatWaits_insteadOfWaitingForever() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor alpha = TestNode.start(network, "alpha", 3, "", MAJORITY).conductor();
        VolumeIo io = promotedWith(network, alpha, "bravo");
        CompletableFuture<Void> held = io.writeAsync(0, block((byte) 1), false);
        network.lose("bravo", "bravo died");
        CompletableFuture<Void> parked = io.writeAsync(4096, block((byte) 2), false);

        assertThat(alpha.secondary().ok()).isTrue();

        assertThat(held).isCompletedExceptionally();
        assertThat(parked).isCompletedExceptionally();
    }

    @Test
    void withTwoOfThreeThePrimaryGoesOn_theLossOfTheSecondPeerHoldsWhatItWouldComplete() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor alpha = TestNode.start(network, "alpha", 3, "", MAJORITY).conductor();
        VolumeIo io = promotedWith(network, alpha, "bravo", "charlie");
        CompletableFuture<Void> write = io.writeAsync(0, block((byte) 1), false);
        network.lose("bravo", "bravo died");
        assertThat(write).as("still waits for charlie's ack").isNotDone();
        CompletableFuture<Void> next = io.writeAsync(4096, block((byte) 2), false);
        assertThat(network.writesTo("charlie")).as("two of three: writes go on")
            .extracting(WriteRequest::offset).containsExactly(0L, 4096L);
        network.lose("charlie", "charlie died");
        assertThat(write).as("held: the last loss took quorum").isNotDone();
        assertThat(next).isNotDone();
    }

    /**
     * The loss of bravo leaves quorum (alpha and charlie, which acknowledged the write): the write completes only once
     * charlie answers a probe sent after the loss. Counted on the view alone, charlie might be gone already unnoticed
     * (a cut link) and a newer Primary promoted with it (simulation seed -2538523496177977253).
     */
    @Test
    void aLossThatLeavesQuorumCompletesWrites_onlyOnceTheRemainingPeersAnswerAProbe() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor alpha = TestNode.start(network, "alpha", 3, "", MAJORITY).conductor();
        VolumeIo io = promotedWith(network, alpha, "bravo", "charlie");
        CompletableFuture<Void> write = io.writeAsync(0, block((byte) 1), false);
        ScriptedPeers.await("the write sent to charlie", () -> !network.writesTo("charlie").isEmpty());
        network.events("charlie").transferLog().writeAck(2, network.writesTo("charlie").get(0).id());

        network.lose("bravo", "the link to bravo was cut");

        assertThat(write).as("held until charlie answers").isNotDone();
        ScriptedPeers.await("a probe to charlie", () -> network.syncsTo("charlie").stream()
            .anyMatch(message -> message.kind() == SyncMessage.Kind.PROBE));
        SyncMessage probe = network.syncsTo("charlie").stream()
            .filter(message -> message.kind() == SyncMessage.Kind.PROBE).findFirst().orElseThrow();
        network.events("charlie").sync(SyncMessage.of(SyncMessage.Kind.PROBE_REPLY, 0, 0, 0, probe.id()));
        write.get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoNodesWithoutATiebreaker_neitherHalfOfASplitPromotes() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor bravo = TestNode.start(network, "bravo", 2, "", MAJORITY).conductor();
        network.connectAsTwin("alpha");
        assertThat(bravo.snapshot().devices().get(0).quorum()).isTrue();

        network.lose("alpha", "the link between the two broke");

        assertThat(bravo.snapshot().devices().get(0).quorum()).isFalse();
        assertThat(bravo.primary(true).message()).contains("1 of 2 nodes visible, need 2 for quorum");
    }

    @Test
    void lastManStanding_peersKnownOutdatedDropOutOfTheCount_alsoAfterARestart() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        TestNode node = TestNode.start(network, "alpha", 3, "", MAJORITY);
        ResourceConductor alpha = node.conductor();
        network.connectAsTwin("bravo");
        network.connectAsTwin("charlie");
        network.reportAgain("bravo", io.replicator.core.state.Role.SECONDARY,
            io.replicator.core.state.DiskState.OUTDATED);
        network.reportAgain("charlie", io.replicator.core.state.Role.SECONDARY,
            io.replicator.core.state.DiskState.OUTDATED);
        network.lose("bravo", "bravo went away");
        network.lose("charlie", "charlie went away");

        assertThat(alpha.snapshot().devices().get(0).quorum()).as("both absent peers are Outdated: alpha alone votes")
            .isTrue();
        assertThat(alpha.superblock(0).orElseThrow().peerHas(2, io.replicator.core.metadata.PeerFlag.OUTDATED))
            .isTrue();

        ResourceConductor restarted = TestNode.restart(network, "alpha", 3, "", MAJORITY, node.volume()).conductor();
        assertThat(restarted.snapshot().devices().get(0).quorum()).as("kept in the peer slots").isTrue();
    }

    /** Connects {@code peers} as twins, promotes {@code node} (which must succeed) and returns its data path. */
    @Test
    void aFrozenPrimaryThatConnectsIsRetried_notRefusedForGood() throws Exception {
        // PromoterIT: the old Primary, resumed from SIGSTOP without quorum, reached the new Primary before its
        // force-secondary demotion; refused as "both nodes are Primary", the new Primary went StandAlone for good.
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor alpha = TestNode.start(network, "alpha", 3, "", MAJORITY).conductor();
        promotedWith(network, alpha, "charlie");

        network.connectReporting("bravo", ours -> {
            VolumeReport twin = ScriptedPeers.twinReport(ours, Role.PRIMARY, DiskState.UP_TO_DATE);
            return new VolumeReport(twin.volume(), twin.ids(), twin.peerSlot(), twin.dataBytes(), twin.role(),
                twin.disk(), false, false, 0, false, false, false, LastWrite.NONE, true, true, false);
        });

        ScriptedPeers.await("bravo's session closed", () -> !network.closesOf("bravo").isEmpty());
        assertThat(network.closesOf("bravo")).first().asString().contains("is a Primary without quorum");
        assertThat(alpha.connectionStates().get("bravo")).isNotEqualTo(ConnectionState.STANDALONE);
    }

    private static VolumeIo promotedWith(ScriptedPeers network, ResourceConductor node, String... peers) {
        for (String peer : peers) {
            network.connectAsTwin(peer);
        }
        assertThat(node.primary(false).ok()).isTrue();
        return node.io(0).orElseThrow();
    }

    private static long current(ResourceConductor node) {
        Superblock superblock = node.superblock(0).orElseThrow();
        return superblock.generationIds().current();
    }

    private static ByteBuf block(byte value) {
        byte[] bytes = new byte[4096];
        Arrays.fill(bytes, value);
        return Unpooled.wrappedBuffer(bytes);
    }

    private static byte[] read(VolumeIo io, long offset) throws IOException {
        ByteBuf buffer = Unpooled.buffer(4096);
        io.read(offset, 4096, buffer);
        byte[] bytes = new byte[4096];
        buffer.readBytes(bytes);
        return bytes;
    }
}

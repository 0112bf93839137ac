package io.replicator.core.resource;

import io.netty.buffer.Unpooled;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.state.ConnectionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a Primary starts a new data generation while a peer is away, and into which slots the old one goes: the rules
 * that let a peer tell later that it missed writes (drbd.md §4). Each case is one of the data-safety holes found
 * through the real CLI (H1: a planned switchover with three nodes; H2: a Secondary lost with writes in flight, then
 * an idle Primary), reproduced here on one conductor with scripted peers.
 */
@Timeout(30)
class GenerationOnPeerLossTest {
    private final ScriptedPeers network = new ScriptedPeers();

    /** Node {@code self} of the first {@code nodes} of alpha, bravo and charlie. */
    private ResourceConductor node(String self, int nodes) throws Exception {
        return TestNode.start(network, self, nodes, "").conductor();
    }

    private static Superblock metadata(ResourceConductor conductor) {
        return conductor.superblock(0).orElseThrow();
    }

    private static long bitmapIdFor(Superblock superblock, int nodeId) {
        return GenerationIds.mask(superblock.generationIds().bitmap(superblock.slotOf(nodeId)));
    }

    @Test
    void promotionWithOnePeerConnectedAndOneAwayStartsAGenerationForTheAbsentOne() throws Exception {
        // H1: bravo is promoted while charlie is connected and alpha is down. Without a new generation alpha comes
        // back to equal ids ("no-sync by rule both-off") and misses every write bravo makes.
        ResourceConductor bravo = node("bravo", 3);
        network.connectAsTwin("charlie");
        assertThat(bravo.connectionStates()).containsEntry("charlie", ConnectionState.CONNECTED)
            .containsEntry("alpha", ConnectionState.CONNECTING);
        long before = GenerationIds.mask(metadata(bravo).currentUuid());

        assertThat(bravo.primary(false).ok()).isTrue();

        Superblock promoted = metadata(bravo);
        assertThat(GenerationIds.mask(promoted.currentUuid())).as("a new generation").isNotEqualTo(before);
        assertThat(bitmapIdFor(promoted, 0)).as("alpha's slot keeps the generation alpha holds").isEqualTo(before);
        assertThat(bitmapIdFor(promoted, 2)).as("charlie, connected, follows the new generation").isZero();
    }

    @Test
    void promotionWithEveryPeerConnectedKeepsTheGeneration() throws Exception {
        ResourceConductor bravo = node("bravo", 3);
        network.connectAsTwin("charlie");
        network.connectAsTwin("alpha");
        long before = GenerationIds.mask(metadata(bravo).currentUuid());

        assertThat(bravo.primary(false).ok()).isTrue();

        assertThat(GenerationIds.mask(metadata(bravo).currentUuid())).isEqualTo(before);
    }

    @Test
    void losingASecondaryWithWritesInFlightStartsANewGenerationAtOnce() throws Exception {
        // H2: bravo dies while alpha's writes to it are in flight, and alpha writes nothing afterwards. The writes
        // were marked for bravo under the old generation; without a new one now, bravo comes back to equal ids.
        ResourceConductor alpha = node("alpha", 2);
        network.connectAsTwin("bravo");
        assertThat(alpha.primary(false).ok()).isTrue();
        long before = GenerationIds.mask(metadata(alpha).currentUuid());
        VolumeIo io = alpha.io(0).orElseThrow();
        CompletableFuture<Void> acked = io.writeAsync(4096, Unpooled.wrappedBuffer(new byte[4096]), false);
        assertThat(network.writesTo("bravo")).hasSize(1);

        network.lose("bravo", "peer killed");
        acked.get();

        Superblock after = metadata(alpha);
        assertThat(GenerationIds.mask(after.currentUuid())).as("a new generation, with no later write")
            .isNotEqualTo(before);
        assertThat(bitmapIdFor(after, 1)).as("bravo's slot keeps the generation bravo holds").isEqualTo(before);
    }

    @Test
    void aSessionThatEndsAfterItsReplacementConnectedLeavesTheNewSessionReplicating() throws Exception {
        // H8: the peer reconnected before the old session's end was processed; that end used to clear the new
        // session's sender, and writes stopped reaching the peer while it showed Connected.
        ResourceConductor alpha = node("alpha", 2);
        PeerSender oldSession = network.connectAsTwin("bravo");
        assertThat(alpha.primary(false).ok()).isTrue();
        CompletableFuture<Void> inFlight = alpha.io(0).orElseThrow()
            .writeAsync(0, Unpooled.wrappedBuffer(new byte[4096]), false);

        network.connectAsTwin("bravo");
        inFlight.get(5, TimeUnit.SECONDS); // completed by the old session's loss, marked for bravo
        network.lose("bravo", oldSession, "the old session's end, late");
        alpha.io(0).orElseThrow().writeAsync(8192, Unpooled.wrappedBuffer(new byte[4096]), false);

        assertThat(alpha.connectionStates()).containsEntry("bravo", ConnectionState.CONNECTED);
        assertThat(network.writesTo("bravo")).as("the write after the late end reached the new session").hasSize(1);
        assertThat(alpha.snapshot().connections().get(0).peerDevices().get(0).statistics().outOfSyncKiB())
            .as("the write in flight on the old session is marked for bravo").isEqualTo(4);
    }

    @Test
    void losingAnIdleSecondaryWaitsForTheNextWriteBeforeANewGeneration() throws Exception {
        ResourceConductor alpha = node("alpha", 2);
        network.connectAsTwin("bravo");
        assertThat(alpha.primary(false).ok()).isTrue();
        long before = GenerationIds.mask(metadata(alpha).currentUuid());

        network.lose("bravo", "peer killed");
        assertThat(GenerationIds.mask(metadata(alpha).currentUuid())).as("nothing written without bravo yet")
            .isEqualTo(before);

        alpha.io(0).orElseThrow().write(0, Unpooled.wrappedBuffer(new byte[4096]), false);
        assertThat(GenerationIds.mask(metadata(alpha).currentUuid())).isNotEqualTo(before);
        assertThat(bitmapIdFor(metadata(alpha), 1)).isEqualTo(before);
    }
}

package io.replicator.core.resource;

import io.netty.buffer.Unpooled;
import io.replicator.core.replication.ReplicaTarget;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * H3: three nodes, alpha Primary. The alpha–charlie link drops while bravo–charlie stays up. Only alpha used to mark
 * its writes for charlie; after alpha died and bravo was promoted, bravo and charlie held the same generation ids and
 * different data. Now alpha says which nodes it replicates to ({@code PEERS}), bravo marks alpha's writes for charlie
 * and tells charlie (which goes Outdated), and bravo, promoted, resyncs charlie.
 */
@Timeout(30)
class PrimaryLostOneSecondaryTest {
    private static final long DATA = 8L << 20;
    private static final long BRAVO_ONLY = 1L << 1;

    @Test
    void theSecondaryThatStillReachesBothMarksThePrimarysWritesForTheOtherAndResyncsItWhenPromoted()
            throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor bravo = TestNode.start(network, "bravo", 3, "").conductor();
        network.connectAsTwin("alpha");
        network.connectAsTwin("charlie");
        ReplicaTarget fromAlpha = network.primaryTwin("alpha");

        fromAlpha.write(0, 0, Unpooled.wrappedBuffer(new byte[4096]));
        assertThat(outOfSyncTowardCharlie(bravo)).as("charlie gets alpha's writes itself").isZero();

        // alpha lost charlie unnoticed for a while, then says so; then it writes on.
        network.events("alpha").sync(SyncMessage.of(SyncMessage.Kind.PEERS, 0, BRAVO_ONLY, 0, 0));
        bravo.role(); // the owner has handled PEERS (a receive thread would write on meanwhile: covered by the window)
        fromAlpha.write(0, 5L << 20, Unpooled.wrappedBuffer(new byte[4096]));

        // The recent extent whole (over-marking costs resync time, never data) and the later write.
        assertThat(outOfSyncTowardCharlie(bravo)).as("the recent extent and the later write, for charlie")
            .isEqualTo(4096 + 4);
        assertThat(network.outOfSyncTo("charlie")).as("charlie is told, and goes Outdated").contains(0L, 5L << 20);

        // alpha dies; charlie reports Outdated; bravo is promoted and resyncs charlie.
        network.reportAgain("charlie", Role.SECONDARY, DiskState.OUTDATED);
        network.lose("alpha", "alpha died");
        assertThat(bravo.primary(false).ok()).isTrue();
        assertThat(network.syncsTo("charlie")).extracting(SyncMessage::kind).contains(SyncMessage.Kind.BECOME_TARGET);
    }

    private static long outOfSyncTowardCharlie(ResourceConductor bravo) {
        return bravo.snapshot().connections().stream().filter(c -> c.peerName().equals("charlie")).findFirst()
            .orElseThrow().peerDevices().get(0).statistics().outOfSyncKiB();
    }
}

package io.replicator.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.generation.GenerationIds;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code connect --discard-my-data} on alpha, then a handshake with charlie that makes alpha charlie's sync target:
 * alpha's data is charlie's from then on, and the writes it takes next are acknowledged ones — the operator asked to
 * discard neither, so the request is spent toward bravo too (simulation seed 613457772065730901: a later handshake
 * with bravo discarded a Primary's write acknowledged through alpha after the first).
 */
@Timeout(30)
class DiscardMyDataSpentTest {
    @Test
    void aHandshakeThatReplacesThisNodesData_spendsDiscardMyDataTowardEveryPeer() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor alpha = TestNode.start(network, "alpha", 3, "").conductor();
        assertThat(alpha.disconnect().ok()).isTrue();
        assertThat(alpha.connect(true).ok()).isTrue();
        assertThat(alpha.discardMyData()).isTrue();

        network.connectReporting("charlie", ours -> {
            VolumeReport twin = ScriptedPeers.twinReport(ours, Role.SECONDARY, DiskState.UP_TO_DATE);
            GenerationIds ahead = GenerationIds.of(0x7770L, new long[] {0, 0}, ours.ids().current());
            return new VolumeReport(twin.volume(), ahead, twin.peerSlot(), twin.dataBytes(), twin.role(),
                twin.disk(), false, false, 0, false, false, false, twin.lastWrite(), false, false, false);
        });

        ScriptedPeers.await("alpha resyncing from charlie",
            () -> alpha.diskStates().get(0) == DiskState.INCONSISTENT);
        assertThat(alpha.discardMyData()).as("spent toward bravo too").isFalse();
    }
}

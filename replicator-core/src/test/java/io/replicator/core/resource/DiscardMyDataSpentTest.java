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
    private final ScriptedPeers network = new ScriptedPeers();

    /** alpha, up, then {@code connect --discard-my-data} toward its peers (none connected yet). */
    private ResourceConductor connectedDiscardingMyData() throws Exception {
        ResourceConductor alpha = TestNode.start(network, "alpha", 3, "").conductor();
        assertThat(alpha.disconnect().ok()).isTrue();
        assertThat(alpha.connect(true).ok()).isTrue();
        return alpha;
    }

    @Test
    void aHandshakeThatReplacesThisNodesData_spendsDiscardMyDataTowardEveryPeer() throws Exception {
        ResourceConductor alpha = connectedDiscardingMyData();
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

    /**
     * A handshake with charlie that needs no resync, and charlie is promoted later: alpha takes charlie's writes,
     * acknowledged ones, from then on — the request is spent toward bravo (simulation seed -5119346238508447581: a much
     * later handshake with bravo reverted such a write).
     */
    @Test
    void replicatingFromAPrimary_spendsDiscardMyDataTowardEveryPeer() throws Exception {
        ResourceConductor alpha = connectedDiscardingMyData();
        network.connectAsTwin("charlie");
        ScriptedPeers.await("replicating with charlie", () -> alpha.connectionStates().values().stream()
            .anyMatch(state -> state == io.replicator.core.state.ConnectionState.CONNECTED));
        assertThat(alpha.discardMyData()).as("still pending toward bravo").isTrue();

        network.reportAgain("charlie", Role.PRIMARY, DiskState.UP_TO_DATE);

        ScriptedPeers.await("spent toward bravo", () -> !alpha.discardMyData());
    }
}

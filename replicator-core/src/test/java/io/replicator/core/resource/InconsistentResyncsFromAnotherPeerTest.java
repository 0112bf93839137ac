package io.replicator.core.resource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose resync as target ended with the loss of its source is Inconsistent and resyncs from nobody; a peer
 * with consistent data that stayed Established with it handshakes again, so that it becomes the new source. Before,
 * the copy stayed Inconsistent for good (simulation seed 2675668649454855093, three nodes).
 */
@Timeout(30)
class InconsistentResyncsFromAnotherPeerTest {
    @Test
    void theLossOfTheSyncSourceHandsTheResyncToAnotherConsistentPeer() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor bravo = TestNode.start(network, "bravo", 3, "").conductor();
        network.connectAsTwin("alpha");
        network.connectAsTwin("charlie");
        assertThat(bravo.invalidate(false).ok()).isTrue();
        String source = bravo.snapshot().connections().stream()
            .filter(c -> c.peerDevices().stream().anyMatch(d -> d.replication().name().startsWith("SYNC_TARGET")
                || d.replication().name().startsWith("WF_BIT_MAP_T")))
            .map(c -> c.peerName()).findFirst().orElseThrow();
        String other = source.equals("alpha") ? "charlie" : "alpha";

        network.lose(source, source + " died");

        ScriptedPeers.await(other + "'s connection handshakes again", () -> network.closesOf(other).stream()
            .anyMatch(reason -> reason.contains("is Inconsistent here and resyncs from nobody")));
    }
}

package io.replicator.core.resource;

import io.replicator.core.replication.SyncMessage;
import io.replicator.core.state.DiskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code primary --force} on an Outdated node makes its data the data in use; a connected peer that is UpToDate may
 * hold later writes (that is why this node was Outdated). DRBD resyncs the peers of a forced Primary. Before, the
 * peer adopted the forced Primary's new generation and replicated on with equal ids over copies that differed
 * (simulation seed 2522204748066657643, four nodes).
 */
@Timeout(30)
class ForcedPrimaryResyncsPeersTest {
    @Test
    void aPrimaryForcedFromOutdatedDataResyncsItsConnectedPeers() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor bravo = TestNode.start(network, "bravo", 3, "").conductor();
        network.connectAsTwin("alpha");
        // alpha tells bravo it wrote a block bravo does not have: bravo is Outdated.
        network.events("alpha").replicaTarget().orElseThrow().markOutOfSync(0, 0, 4096);
        ScriptedPeers.await("bravo goes Outdated", () -> bravo.diskStates().get(0) == DiskState.OUTDATED);

        assertThat(bravo.primary(true).ok()).isTrue();

        assertThat(network.syncsTo("alpha")).extracting(SyncMessage::kind)
            .as("alpha is made sync target of the forced Primary").contains(SyncMessage.Kind.BECOME_TARGET);
    }
}

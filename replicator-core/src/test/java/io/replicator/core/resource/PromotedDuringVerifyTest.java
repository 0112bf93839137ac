package io.replicator.core.resource;

import io.replicator.core.replication.SyncMessage;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node promoted while it answers a peer's online verify (VerifyT) cannot resync that peer yet, even if the peer is
 * Outdated (it fell behind a generation this node carries). The resync was only considered at the promotion, so the
 * peer stayed Outdated, replicating on stale blocks, until an older third node resynced it under the Primary's
 * writes (simulation seed -6533624638889529580, three nodes). Now the end of the verify resyncs it.
 */
@Timeout(30)
class PromotedDuringVerifyTest {
    @Test
    void anOutdatedPeerIsResyncedOnceTheVerifyItRanIsDone() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor charlie = TestNode.start(network, "charlie", 3, "").conductor();
        network.connectAsTwin("bravo");
        network.reportAgain("bravo", Role.SECONDARY, DiskState.OUTDATED);
        network.events("bravo").sync(SyncMessage.of(SyncMessage.Kind.VERIFY_REQUEST, 0, 0, 4096, 1));

        assertThat(charlie.primary(false).ok()).isTrue();
        assertThat(network.syncsTo("bravo")).extracting(SyncMessage::kind)
            .as("not while the verify runs").doesNotContain(SyncMessage.Kind.BECOME_TARGET);

        network.events("bravo").sync(SyncMessage.of(SyncMessage.Kind.VERIFY_DONE, 0, 4096, 0, 0));

        ScriptedPeers.await("bravo is made sync target after the verify", () -> network.syncsTo("bravo").stream()
            .anyMatch(m -> m.kind() == SyncMessage.Kind.BECOME_TARGET));
    }
}

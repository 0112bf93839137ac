package io.replicator.core.resource;

import io.netty.buffer.Unpooled;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.replication.ReplicaTarget;
import io.replicator.core.replication.VolumeReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node resynced from a peer holds the peer's data: how far it got with a Primary ({@link LastWrite}) is then what
 * the peer says. Before, a node that invalidated itself kept claiming the Primary's last write it had applied, while
 * its copy came from a node that lacked it — and the reconciliation made it the source over the node that still held
 * that write (simulation seed -6632704670646946889, four nodes).
 */
@Timeout(30)
class LastWriteFollowsResyncTest {
    @Test
    void aSyncTargetTakesTheLastWriteOfItsSource() throws Exception {
        ScriptedPeers network = new ScriptedPeers();
        ResourceConductor bravo = TestNode.start(network, "bravo", 3, "").conductor();
        network.connectAsTwin("alpha");
        network.connectAsTwin("charlie");
        ReplicaTarget fromAlpha = network.primaryTwin("alpha");
        fromAlpha.write(0, 0, Unpooled.wrappedBuffer(new byte[4096]));
        fromAlpha.applied(77);
        network.lose("alpha", "alpha died");

        assertThat(bravo.invalidate(false).ok()).isTrue();

        List<VolumeReport> reports = network.reportsTo("charlie");
        assertThat(reports.get(reports.size() - 1).lastWrite())
            .as("bravo's copy is charlie's now, which reported no last write").isEqualTo(LastWrite.NONE);
    }
}

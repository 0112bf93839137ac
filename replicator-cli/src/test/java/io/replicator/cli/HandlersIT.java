package io.replicator.cli;

import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handlers a resync and a lost connection run, on real daemons: each appends its name, the resource and the
 * peer's node id from its environment to a file of its node, and the files must show them in DRBD's order.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HandlersIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> HANDLERS = List.of("before-resync-target", "after-resync-target",
        "before-resync-source", "disconnected");

    @TempDir
    Path folder;

    private String withHandlers(String node, String text) {
        StringBuilder section = new StringBuilder("  handlers {\n");
        for (String handler : HANDLERS) {
            section.append("    ").append(handler).append(" \"echo ").append(handler)
                .append(" $DRBD_RESOURCE peer=$DRBD_PEER_NODE_ID >> ").append(logs().log(node)).append("\";\n");
        }
        return HandlerLogs.withSection(text, section.append("  }\n").toString());
    }

    private HandlerLogs logs() {
        return new HandlerLogs(folder, TIMEOUT);
    }

    @Test
    void resyncAndDisconnectRunTheirHandlersWithThePeerInTheEnvironment() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).nodes(2).size("16M")
            .diskOptions(PeerClusters.FAST_RESYNC)
            .editNode("alpha", text -> withHandlers("alpha", text))
            .editNode("bravo", text -> withHandlers("bravo", text)).build()) {
            cluster.bootstrap("alpha");
            cluster.require("bravo", "disconnect", TestCluster.RESOURCE);
            logs().awaitLine("alpha", "disconnected r0 peer=1");
            logs().awaitLine("bravo", "disconnected r0 peer=0");
            PeerClusters.write(cluster, "alpha", WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 4096, 2), 50);
            cluster.require("bravo", "connect", TestCluster.RESOURCE);
            logs().awaitLine("bravo", "after-resync-target r0 peer=0");
            logs().awaitLine("alpha", "before-resync-source r0 peer=1");
            List<String> bravo = logs().lines("bravo");
            assertThat(bravo.indexOf("before-resync-target r0 peer=0"))
                .as("bravo's handlers: %s", bravo).isBetween(0, bravo.indexOf("after-resync-target r0 peer=0"));
            ReplicationIT.awaitIdentical(cluster, "alpha", "bravo");
        }
    }
}

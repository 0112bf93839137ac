package io.replicator.cli;

import io.replicator.fixtures.cluster.StatusProbe;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.AckRecordingClient;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code auto-promote} (the default) on two real daemons through a real NBD client: attaching to a Secondary's export
 * promotes it when it may, the last client's detach demotes it, a Secondary that may not promote (its peer is
 * Primary) refuses the attach with the reason, and a node promoted by {@code primary} stays Primary when its clients
 * go.
 */
@Timeout(300)
class AutoPromoteIT {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    @Test
    void anAttachPromotes_theLastDetachDemotes_andAnAttachThatMayNotPromoteIsRefusedWithTheReason() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder.resolve("auto")).build()) {
            cluster.bootstrap("alpha");
            cluster.secondary("alpha");
            cluster.waitFor("bravo", status -> status.contains("alpha role:Secondary"), SETTLE);

            WriteWorkload workload = new WriteWorkload(11, 4096, 256, 4);
            try (AckRecordingClient client = AckRecordingClient.connect(cluster.nbdUri("alpha"))) {
                assertThat(cluster.role("alpha")).isEqualTo("Primary\n");
                assertThat(workload.run(client, 50, SETTLE).acked()).isEqualTo(50);

                cluster.waitFor("bravo", status -> status.contains("alpha role:Primary"), SETTLE);
                assertThatThrownBy(() -> AckRecordingClient.connect(cluster.nbdUri("bravo")).close())
                    .hasMessageContaining("auto-promote may not promote it")
                    .hasMessageContaining("peer alpha is Primary");
            }
            cluster.waitFor("alpha", StatusProbe.ROLE, role -> role.equals("Secondary\n"), SETTLE);
            // The demoting thread logs once the demotion returned: a moment after the role changed.
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (!cluster.logTail("alpha", 200).contains("demoted by auto-promote") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(cluster.logTail("alpha", 200)).contains("promoted by auto-promote")
                .contains("demoted by auto-promote");

            cluster.primary("bravo", false);
            try (AckRecordingClient client = AckRecordingClient.connect(cluster.nbdUri("bravo"))) {
                assertThat(workload.run(client, 20, SETTLE).acked()).isEqualTo(20);
            }
            Thread.sleep(1000);
            assertThat(cluster.role("bravo")).as("promoted by 'primary': stays Primary").isEqualTo("Primary\n");
        }
    }

    @Test
    void anAttachWaitsAutoPromoteTimeoutForThePeerToLetGo() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder.resolve("timeout")).build()) {
            cluster.bootstrap("alpha");
            cluster.waitFor("bravo", status -> status.contains("alpha role:Primary"), SETTLE);
            // auto-promote-timeout 20 (2 s, the default): the attach to bravo waits while alpha is Primary ...
            java.util.concurrent.CompletableFuture<AckRecordingClient> attaching =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return AckRecordingClient.connect(cluster.nbdUri("bravo"));
                    } catch (Exception refused) {
                        throw new java.util.concurrent.CompletionException(refused);
                    }
                });
            Thread.sleep(500);
            assertThat(attaching).as("waiting within auto-promote-timeout").isNotDone();
            // ... and succeeds once alpha is demoted within it.
            cluster.requireDaemon("alpha", "secondary");
            try (AckRecordingClient client = attaching.get(30, java.util.concurrent.TimeUnit.SECONDS)) {
                assertThat(cluster.role("bravo")).isEqualTo("Primary\n");
                assertThat(new WriteWorkload(12, 4096, 64, 2).run(client, 10, SETTLE).acked()).isEqualTo(10);
            }
        }
    }
}

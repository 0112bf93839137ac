package io.replicator.cli;

import io.replicator.fixtures.cluster.CommandResult;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemons' Prometheus endpoints while a two-node cluster runs, fetched over HTTP as Prometheus would: states,
 * bytes replicated, requests in flight, out-of-sync bytes, the progress of a running resync and the ping round trip,
 * in the text format, agreeing with {@code status --statistics}; and an endpoint whose address is taken fails
 * {@code up} with the reason while the daemon goes on.
 */
@Timeout(300)
class MetricsIT {
    private static final String R0 = "resource=\"r0\"";
    /** A full sync of 32 MiB at 4 MiB/s: about 8 s, long enough to scrape it under way. */
    private static final String SLOW_RESYNC = "c-plan-ahead 0; resync-rate 4M;";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path folder;

    @Test
    void shouldServeEveryFamilyWhileTheClusterResyncsAndReplicates() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).metrics().size("32M").diskOptions(SLOW_RESYNC)
            .netOptions("ping-int 1;").build()) {
            cluster.createMd();
            cluster.up();
            cluster.awaitReplicating("alpha", PeerClusters.CONNECT_TIMEOUT);
            cluster.primary("alpha", true);

            // The initial full sync, scraped while it runs.
            String peer = "peer=\"bravo\"," + R0 + ",volume=\"0\"";
            Map<String, Double> syncing = awaitMetrics(cluster, "alpha", m -> m.containsKey(
                "replicator_resync_eta_seconds{" + peer + "}"));
            assertThat(syncing).containsEntry("replicator_replication_state{" + peer
                + ",replicator_replication_state=\"SyncSource\"}", 1.0);
            assertThat(syncing.get("replicator_resync_done_ratio{" + peer + "}")).isBetween(0.0, 1.0);
            assertThat(syncing.get("replicator_resync_remaining_bytes{" + peer + "}")).isPositive()
                .isEqualTo(syncing.get("replicator_out_of_sync_bytes{" + peer + "}"));
            assertThat(syncing.get("replicator_resync_rate_bytes_per_second{" + peer + "}")).as("4 MiB/s asked")
                .isBetween(0.5 * (1 << 20), 64.0 * (1 << 20));
            assertThat(syncing.get("replicator_resync_eta_seconds{" + peer + "}")).isBetween(0.0, 120.0);
            assertThat(syncing).containsEntry("replicator_peer_disk_state{" + peer
                + ",replicator_peer_disk_state=\"Inconsistent\"}", 1.0);
            CommandResult waited = cluster.require("bravo", "wait-sync", "--timeout", "120", TestCluster.RESOURCE);
            assertThat(waited.ok()).isTrue();

            // A little application traffic once in sync.
            WriteWorkload workload = WriteWorkload.withRandomSeed(PeerClusters.BLOCK, 2048, 4);
            System.out.println("seed " + workload.seed());
            PeerClusters.write(cluster, "alpha", workload, 200);

            Map<String, Double> alpha = awaitMetrics(cluster, "alpha", m ->
                Double.valueOf(0).equals(m.get("replicator_out_of_sync_bytes{" + peer + "}"))
                    && Double.valueOf(0).equals(m.get("replicator_pending_requests{" + peer + "}"))
                    && Double.valueOf(0).equals(m.get("replicator_ap_in_flight_bytes{peer=\"bravo\"," + R0 + "}"))
                    && m.containsKey("replicator_ping_rtt_seconds{peer=\"bravo\"," + R0 + "}")
                    && !m.containsKey("replicator_resync_done_ratio{" + peer + "}"));
            assertThat(alpha)
                .containsEntry("replicator_role{" + R0 + ",replicator_role=\"Primary\"}", 1.0)
                .containsEntry("replicator_role{" + R0 + ",replicator_role=\"Secondary\"}", 0.0)
                .containsEntry("replicator_disk_state{" + R0 + ",volume=\"0\",replicator_disk_state=\"UpToDate\"}",
                    1.0)
                .containsEntry("replicator_connection_state{peer=\"bravo\"," + R0
                    + ",replicator_connection_state=\"Connected\"}", 1.0)
                .containsEntry("replicator_peer_role{peer=\"bravo\"," + R0 + ",replicator_peer_role=\"Secondary\"}",
                    1.0)
                .containsEntry("replicator_replication_state{" + peer
                    + ",replicator_replication_state=\"Established\"}", 1.0)
                .containsEntry("replicator_peer_disk_state{" + peer + ",replicator_peer_disk_state=\"UpToDate\"}",
                    1.0)
                .containsEntry("replicator_unacked_requests{" + peer + "}", 0.0)
                .containsEntry("replicator_rs_in_flight_bytes{peer=\"bravo\"," + R0 + "}", 0.0)
                .containsEntry("replicator_device_size_bytes{" + R0 + ",volume=\"0\"}", 32.0 * (1 << 20));
            double sent = alpha.get("replicator_sent_bytes_total{" + peer + "}");
            assertThat(sent).as("the full sync and the writes").isGreaterThanOrEqualTo(32.0 * (1 << 20) + 200 * 4096);
            assertThat(alpha.get("replicator_ping_rtt_seconds{peer=\"bravo\"," + R0 + "}")).isBetween(0.0, 1.0);
            assertThat(alpha).containsKey("jvm_memory_used_bytes{area=\"heap\"}");

            Map<String, Double> bravo = metrics(cluster, "bravo");
            String fromAlpha = "peer=\"alpha\"," + R0 + ",volume=\"0\"";
            assertThat(bravo)
                .containsEntry("replicator_role{" + R0 + ",replicator_role=\"Secondary\"}", 1.0)
                .containsEntry("replicator_peer_role{peer=\"alpha\"," + R0 + ",replicator_peer_role=\"Primary\"}",
                    1.0)
                .containsEntry("replicator_out_of_sync_bytes{" + fromAlpha + "}", 0.0)
                .containsEntry("replicator_received_bytes_total{" + fromAlpha + "}", sent)
                .containsEntry("replicator_sent_bytes_total{" + fromAlpha + "}", 0.0);

            // The same numbers as status prints (both come from one snapshot per request, and nothing moves now).
            String status = cluster.query("alpha", "status", "--verbose", "--statistics").out();
            assertThat(status).contains("sent:" + (long) (sent / 1024)).contains("out-of-sync:0")
                .contains("pending:0").contains("unacked:0");
        }
    }

    @Test
    void shouldFailUpWithTheReasonWhenTheMetricsAddressIsTaken() throws Exception {
        try (TestCluster cluster = TestCluster.builder(folder).metrics().build()) {
            cluster.createMd("alpha");
            int port = cluster.node("alpha").metricsPort();
            try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                CommandResult refused = cluster.run("alpha", "up", TestCluster.RESOURCE);
                String reason = "cannot serve the metrics of r0 at metrics-listen 127.0.0.1:" + port
                    + ": BindException";
                assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(10);
                assertThat(refused.err()).contains(cluster.node("alpha").config() + ":").contains(reason)
                    .doesNotContain("internal error");
                assertThat(cluster.logTail("alpha")).contains(reason);
                assertThat(cluster.daemonRunning("alpha")).as("the daemon goes on").isTrue();
            }
            cluster.up("alpha");
            assertThat(metrics(cluster, "alpha"))
                .containsEntry("replicator_role{" + R0 + ",replicator_role=\"Secondary\"}", 1.0)
                .containsEntry("replicator_connection_state{peer=\"bravo\"," + R0
                    + ",replicator_connection_state=\"Connecting\"}", 1.0);
        }
    }

    /** Scrapes {@code node}'s endpoint in the Prometheus text format: each sample's name and labels to its value. */
    private Map<String, Double> metrics(TestCluster cluster, String node) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(cluster.metricsUri(node))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
            assertThat(type).startsWith("text/plain; version=0.0.4"));
        Map<String, Double> samples = new LinkedHashMap<>();
        Pattern sample = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{.*})?) (\\S+)");
        for (String line : response.body().lines().toList()) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher matcher = sample.matcher(line);
            assertThat(matcher.matches()).as("a sample line: %s", line).isTrue();
            samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return samples;
    }

    /** Scrapes {@code node} until {@code condition} holds (30 s at most), and returns that scrape. */
    private Map<String, Double> awaitMetrics(TestCluster cluster, String node, Predicate<Map<String, Double>> condition)
        throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Map<String, Double> samples = metrics(cluster, node);
            if (condition.test(samples)) {
                return samples;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("metrics of " + node + " did not reach the expected state; last scrape:\n"
                    + samples + "\n" + cluster.logTails());
            }
            Thread.sleep(200);
        }
    }
}

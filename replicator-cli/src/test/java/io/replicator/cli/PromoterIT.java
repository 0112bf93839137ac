package io.replicator.cli;

import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.AckRecordingClient;
import io.replicator.net.nbd.client.RunSummary;
import io.replicator.net.nbd.client.Verification;
import io.replicator.net.nbd.client.WriteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Automatic failover on three real daemons ({@code quorum majority}, {@code on-no-quorum io-error},
 * {@code on-suspended-primary-outdated force-secondary}, as drbd-reactor's promoter wants them), a real
 * {@code replicator promoter} process on every node, and a fake service: its start entry appends {@code start} to a
 * log and holds a {@code sleep} as the service, its stop kills it. Writes go through NBD to whichever node the
 * promoters made Primary.
 *
 * <ul>
 *   <li>SIGKILL of the Primary's daemon under writes: another node is Primary and its service started, by itself;
 *       the time from the kill to the promoter's steps is printed per run (detection, decision, promotion, services;
 *       {@code -Dreplicator.failover.iterations=20} for the distribution, docs/benchmarks.md); every acknowledged
 *       write is on the new Primary.</li>
 *   <li>SIGSTOP of the Primary's daemon: the others take over; resumed, the old Primary has no quorum, its promoter
 *       stops its service and demotes it, and it rejoins as Secondary and resyncs — no split brain.</li>
 * </ul>
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class PromoterIT {
    private static final int BLOCK = 4096;
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final List<String> NODES = List.of("alpha", "bravo", "charlie");

    @TempDir
    Path folder;

    @Test
    void killingThePrimaryMovesTheServiceToAnotherNodeByItself_withEveryAcknowledgedWrite() throws Exception {
        int iterations = Integer.getInteger("replicator.failover.iterations", 1);
        List<String> timings = new ArrayList<>();
        for (int iteration = 0; iteration < iterations; iteration++) {
            Path dir = folder.resolve("kill-" + iteration);
            try (TestCluster cluster = promotedCluster(dir)) {
                String primary = awaitServiceOn(cluster, dir, NODES);
                WriteWorkload workload = WriteWorkload.withRandomSeed(BLOCK, 2048, 4);
                RunSummary run;
                long killedAt;
                try (AckRecordingClient client = AckRecordingClient.connect(cluster.nbdUri(primary))) {
                    CompletableFuture<RunSummary> running = workload.start(client, Long.MAX_VALUE, SETTLE);
                    assertThat(client.log().awaitAcked(200, SETTLE)).as(cluster.logTails()).isTrue();
                    killedAt = System.currentTimeMillis();
                    cluster.kill9(primary);
                    run = running.get(60, TimeUnit.SECONDS);
                }
                List<String> survivors = NODES.stream().filter(node -> !node.equals(primary)).toList();
                String next = awaitServiceOn(cluster, dir, survivors);
                assertThat(cluster.role(next)).contains("Primary");
                Timing timing = Timing.of(cluster, dir, next, primary, killedAt);
                timings.add(timing.toString());
                System.out.println("failover " + iteration + ": " + primary + " killed, " + next + " took over: "
                    + timing + " (" + run.acked() + " writes acknowledged)");
                assertThat(timing.servicesMs() - timing.detectionMs()).as("start list within 2 s of detection: %s",
                    timing).isLessThan(2000);
                awaitStopped(dir, primary); // its promoter saw the daemon go and stopped the service there
                Verification verification = workload.verify(cluster.diskPath(next, 0), 0);
                assertThat(verification.ok()).as(verification.toString()).isTrue();
            }
        }
        System.out.println("failover timings (kill -> detection, decision, promotion, services, ms):\n  "
            + String.join("\n  ", timings));
    }

    @Test
    void aFrozenPrimaryThatResumesWithoutQuorumStopsItsServiceDemotesAndRejoins() throws Exception {
        Path dir = folder.resolve("freeze");
        try (TestCluster cluster = promotedCluster(dir)) {
            String primary = awaitServiceOn(cluster, dir, NODES);
            long pid = cluster.daemonPid(primary).orElseThrow();
            new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
            String next;
            try {
                next = awaitServiceOn(cluster, dir, NODES.stream().filter(node -> !node.equals(primary)).toList());
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
            }
            awaitStopped(dir, primary);
            cluster.waitFor(primary, status -> status.contains("role:Secondary"), SETTLE);
            for (String node : NODES) {
                cluster.waitFor(node, status -> status.contains("disk:UpToDate") && !status.contains("Inconsistent")
                    && !status.contains("StandAlone") && !status.contains("Outdated"), SETTLE);
            }
            assertThat(cluster.role(next)).contains("Primary");
            for (String node : NODES) {
                assertThat(cluster.logTail(node, 2000)).as(node).doesNotContain("Split-Brain detected");
            }
        }
    }

    /**
     * Three nodes, bootstrapped and all Secondary, with a promoter on each whose start list is the fake service of
     * that node.
     */
    private TestCluster promotedCluster(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path service = dir.resolve("service.sh");
        Files.writeString(service, """
            #!/bin/sh
            # service.sh NODE start|stop: a fake service that logs its starts and stops and runs as a sleep.
            node="$1"; dir="$(dirname "$0")"
            case "$2" in
              start) sleep 600 & echo $! > "$dir/$node.pid"
                     echo "start $(date +%s%3N)" >> "$dir/$node-service.log" ;;
              stop)  [ -f "$dir/$node.pid" ] && kill "$(cat "$dir/$node.pid")" 2>/dev/null; rm -f "$dir/$node.pid"
                     echo "stop $(date +%s%3N)" >> "$dir/$node-service.log" ;;
            esac
            """);
        TestCluster cluster = TestCluster.builder(dir.resolve("cluster")).nodes(3).size("16M")
            .editNode("alpha", PromoterIT::failoverOptions).editNode("bravo", PromoterIT::failoverOptions)
            .editNode("charlie", PromoterIT::failoverOptions).build();
        cluster.bootstrap("alpha");
        cluster.secondary("alpha");
        for (String node : NODES) {
            Path file = dir.resolve(node + "-promoter.toml");
            Files.writeString(file, "[[promoter]]\n[promoter.resources." + TestCluster.RESOURCE + "]\n"
                + "runner = \"shell\"\nstart = [\"sh " + service + " " + node + "\"]\n");
            cluster.promoters().start(node, file);
        }
        return cluster;
    }

    /** The options drbd-reactor's promoter wants, in the resource section of a node's configuration. */
    static String failoverOptions(String text) {
        return text.replaceFirst("resource " + TestCluster.RESOURCE + " \\{\n", "resource " + TestCluster.RESOURCE
            + " {\n  options { quorum majority; on-no-quorum io-error; on-suspended-primary-outdated "
            + "force-secondary; auto-promote no; }\n");
    }

    /** Waits until exactly one of {@code candidates} runs the service; returns it. */
    private static String awaitServiceOn(TestCluster cluster, Path dir, List<String> candidates) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> running = candidates.stream().filter(node -> Files.exists(dir.resolve(node + ".pid")))
                .toList();
            if (running.size() == 1) {
                return running.get(0);
            }
            assertThat(running).as("one service at a time").hasSizeLessThan(2);
            Thread.sleep(20);
        }
        StringBuilder logs = new StringBuilder();
        for (String node : candidates) {
            logs.append("--- ").append(node).append(" promoter:\n")
                .append(tail(cluster.promoters().log(node))).append('\n');
        }
        throw new AssertionError("no service started on " + candidates + "\n" + logs + cluster.logTails());
    }

    private static void awaitStopped(Path dir, String node) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (Files.exists(dir.resolve(node + ".pid"))) {
            assertThat(System.nanoTime()).as("%s's service still runs", node).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String tail(Path log) throws Exception {
        if (!Files.exists(log)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Milliseconds from the kill to each step on the node that took over. */
    record Timing(long detectionMs, long decisionMs, long promotionMs, long servicesMs) {
        static Timing of(TestCluster cluster, Path dir, String node, String lost, long killedAt) throws Exception {
            long detected = at(cluster.logPath(node), "connection to " + lost + " lost").orElse(killedAt);
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (at(cluster.promoters().log(node), "services started").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20); // the service's pid file may be there a moment before the promoter logs
            }
            long started = at(cluster.promoters().log(node), "services started").orElseThrow();
            long decided = at(cluster.promoters().log(node), "may promote").orElseThrow();
            long promoted = at(cluster.promoters().log(node), ": promoted;").orElseThrow();
            return new Timing(detected - killedAt, decided - killedAt, promoted - killedAt, started - killedAt);
        }

        /** The time of the last log line containing {@code text}, in epoch milliseconds. */
        private static Optional<Long> at(Path log, String text) throws Exception {
            Optional<Long> last = Optional.empty();
            for (String line : Files.readAllLines(log)) {
                if (line.contains(text)) {
                    last = Optional.of(OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant()
                        .toEpochMilli());
                }
            }
            return last;
        }

        @Override
        public String toString() {
            return "detection " + detectionMs + ", decision " + decisionMs + ", promotion " + promotionMs
                + ", services " + servicesMs;
        }
    }
}

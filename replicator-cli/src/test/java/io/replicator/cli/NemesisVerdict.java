package io.replicator.cli;

import io.replicator.fixtures.cluster.CommandResult;
import io.replicator.fixtures.cluster.StatusProbe;
import io.replicator.fixtures.cluster.TestCluster;
import io.replicator.net.nbd.client.Verification;
import io.replicator.net.nbd.client.WriteWorkload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end of a nemesis run, once everything is healed, restarted and home is Primary again: the checks, in order,
 * each failing with the whole story ({@link #failure}: seed, events, proxies, statuses, log tails).
 * <ol>
 *   <li>the cluster settles: every node replicates with every peer, every disk UpToDate, no resync running. A
 *       connection left StandAlone (a split brain, or a link the handshake stopped) is resolved as an operator would,
 *       and fails the run at the end, after the data checks: the nemesis never makes two Primaries, so neither should
 *       happen;</li>
 *   <li>an online verify from the Primary finds 0 blocks out of sync with every peer;</li>
 *   <li>the data areas of all nodes have the same SHA-256 (no silent divergence);</li>
 *   <li>every acknowledged write is on the final Primary (its data file), or superseded by a later write to its block;</li>
 *   <li>every daemon is alive and answers {@code status}.</li>
 * </ol>
 * Threads: the test's thread.
 */
final class NemesisVerdict {
    private static final Duration SETTLE = Duration.ofSeconds(180);
    private static final int LOG_LINES = 80;
    private static final Pattern SPLIT_BRAIN = Pattern.compile("(?i)split[ -]brain");
    private static final Pattern VERIFY_DONE = Pattern.compile("online verify done \\(total .*found (\\d+) 4k blocks");

    private final TestCluster cluster;
    private final Nemesis nemesis;
    private final WriteWorkload workload;
    private final long seed;
    /** StandAlone connections met while settling, with what the logs said. */
    private final List<String> standAlones = new ArrayList<>();

    NemesisVerdict(TestCluster cluster, Nemesis nemesis, WriteWorkload workload, long seed) {
        this.cluster = cluster;
        this.nemesis = nemesis;
        this.workload = workload;
        this.seed = seed;
    }

    void check() throws Exception {
        String primary = nemesis.primary();
        if (primary == null) {
            throw failure("home " + nemesis.home() + " could not be made Primary again after healing", null);
        }
        settle(primary);
        verifyOnline(primary);
        String expected = cluster.dataSha256(primary, 0);
        for (String node : names()) {
            if (!cluster.dataSha256(node, 0).equals(expected)) {
                throw failure("silent divergence: the data area of " + node + " differs from the Primary " + primary
                    + "'s, all UpToDate and Established", null);
            }
        }
        Verification onPrimary = workload.verify(cluster.diskPath(primary, 0), 0);
        System.out.println("NemesisIT verification on " + primary + ": " + onPrimary);
        if (!onPrimary.ok()) {
            throw failure("acknowledged writes missing on the final Primary " + primary + ": " + onPrimary, null);
        }
        for (String node : names()) {
            CommandResult status = cluster.query(node, "status");
            if (!cluster.daemonRunning(node) || !status.ok()) {
                throw failure(node + "'s daemon does not answer: " + status.describe(), null);
            }
        }
        if (!standAlones.isEmpty()) {
            throw failure("a connection went StandAlone, although the nemesis never made two Primaries; resolved as "
                + "an operator would (connect, with --discard-my-data after a split brain), and the data checks then "
                + "passed:\n" + String.join("\n", standAlones), null);
        }
    }

    /** An AssertionError that tells the whole story of the run. */
    AssertionError failure(String what, Throwable cause) {
        StringBuilder text = new StringBuilder("NemesisIT (seed ").append(seed).append(", rerun with -Dnemesis.seed=")
            .append(seed).append("): ").append(what).append("\n--- events:\n").append(nemesis.events())
            .append("\n--- proxies:\n").append(cluster.network().describe());
        for (String node : names()) {
            text.append("--- ").append(node).append(" status: ")
                .append(cluster.query(node, "status", "--verbose").describe()).append('\n');
        }
        for (String node : names()) {
            text.append("--- ").append(node).append(".log ends (status polls left out):\n")
                .append(logTailWithoutPolls(node)).append('\n');
        }
        text.append("--- whole logs kept in ").append(keepLogs().toAbsolutePath()).append('\n');
        AssertionError error = new AssertionError(text.toString());
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    /**
     * Waits until every node replicates with every peer, all UpToDate, no resync running. A connection left
     * StandAlone is recorded ({@link #standAlones}) and resolved as an operator would: {@code connect} on both ends,
     * after a split brain {@code connect --discard-my-data} on the end that is not the Primary (of two Secondaries,
     * the later name).
     */
    private void settle(String primary) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!standAlonePairs().isEmpty() || !allReplicating()) {
            for (List<String> pair : standAlonePairs()) {
                String reasons = standAloneReasons(pair);
                boolean splitBrain = SPLIT_BRAIN.matcher(reasons).find();
                standAlones.add(pair + " StandAlone (" + (splitBrain ? "split brain" : "link stopped, no split brain")
                    + "); the logs say:\n" + reasons);
                String victim = pair.contains(primary) ? pair.get(pair.get(0).equals(primary) ? 1 : 0) : pair.get(1);
                String keeper = pair.get(0).equals(victim) ? pair.get(1) : pair.get(0);
                if (splitBrain) {
                    cluster.query(victim, "connect", "--discard-my-data");
                } else {
                    cluster.query(victim, "connect");
                }
                cluster.query(keeper, "connect");
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure("the cluster did not settle within " + SETTLE.toSeconds() + " s", null);
            }
            sleep(500);
        }
        for (String node : names()) {
            cluster.waitFor(node, StatusProbe.DSTATE, out -> !out.isBlank() && out.replace("UpToDate", "")
                .replace("/", "").isBlank(), SETTLE);
        }
        for (String node : names()) {
            cluster.waitFor(node, status -> !status.isBlank() && !status.contains("Sync"), SETTLE);
        }
    }

    private boolean allReplicating() {
        int expected = names().size() - 1;
        return names().stream().allMatch(node -> cluster.query(node, "status", "--verbose").out()
            .split("replication:Established", -1).length - 1 == expected);
    }

    /** Pairs of nodes, in name order, whose connection either end shows StandAlone. */
    private List<List<String>> standAlonePairs() {
        List<List<String>> pairs = new ArrayList<>();
        for (String node : names()) {
            PeerViews.parse(cluster.query(node, "status", "--verbose").out()).peers().forEach((peer, view) -> {
                List<String> pair = node.compareTo(peer) < 0 ? List.of(node, peer) : List.of(peer, node);
                if (view.connection().equals("StandAlone") && !pairs.contains(pair)) {
                    pairs.add(pair);
                }
            });
        }
        return pairs;
    }

    /** The last {@value #LOG_LINES} lines of {@code node}'s log that are not a control request. */
    private String logTailWithoutPolls(String node) {
        List<String> lines = cluster.logTail(node, 100_000).lines()
            .filter(line -> !line.contains("DaemonRequests - request:")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
    }

    /** Copies the daemons' logs and the events to {@code target/nemesis-logs/SEED-Nnodes/}, which outlives the run. */
    private Path keepLogs() {
        Path kept = Path.of("target", "nemesis-logs", seed + "-" + names().size() + "nodes");
        try {
            Files.createDirectories(kept);
            for (String node : names()) {
                if (Files.exists(cluster.logPath(node))) {
                    Files.copy(cluster.logPath(node), kept.resolve(node + ".log"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(kept.resolve("events.txt"), nemesis.events());
        } catch (IOException failed) {
            return Path.of("(not kept: " + failed.getMessage() + ")");
        }
        return kept;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while settling", interrupted);
        }
    }

    /** The last 5 log lines of each end that are errors or name a split brain: why the connection stopped. */
    private String standAloneReasons(List<String> pair) {
        StringBuilder lines = new StringBuilder();
        for (String node : pair) {
            List<String> found = cluster.logTail(node, 100_000).lines()
                .filter(line -> line.contains(" ERROR ") || SPLIT_BRAIN.matcher(line).find()).toList();
            found.subList(Math.max(0, found.size() - 5), found.size())
                .forEach(line -> lines.append("  ").append(node).append(": ").append(line).append('\n'));
        }
        return lines.toString();
    }

    /** {@code verify} on the Primary, and every peer's run must find nothing out of sync. */
    private void verifyOnline(String primary) throws InterruptedException {
        int before = verifyResults(primary).size();
        CommandResult started = cluster.query(primary, "verify");
        if (!started.ok()) {
            throw failure("online verify did not start: " + started.describe(), null);
        }
        int peers = names().size() - 1;
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<Long> results = verifyResults(primary);
        while (results.size() < before + peers) {
            if (System.nanoTime() - deadline > 0) {
                throw failure("online verify did not finish with every peer within " + SETTLE.toSeconds() + " s", null);
            }
            Thread.sleep(200);
            results = verifyResults(primary);
        }
        List<Long> found = results.subList(before, results.size());
        if (found.stream().anyMatch(blocks -> blocks != 0)) {
            throw failure("online verify found blocks out of sync: " + found, null);
        }
    }

    /** The number of out-of-sync blocks of every finished online verify in {@code node}'s log, in order. */
    private List<Long> verifyResults(String node) {
        List<Long> results = new ArrayList<>();
        Matcher matcher = VERIFY_DONE.matcher(cluster.logTail(node, 100_000));
        while (matcher.find()) {
            results.add(Long.parseLong(matcher.group(1)));
        }
        return results;
    }

    private List<String> names() {
        return cluster.nodes().stream().map(node -> node.name()).toList();
    }
}

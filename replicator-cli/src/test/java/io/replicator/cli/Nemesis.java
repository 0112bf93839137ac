package io.replicator.cli;

import io.replicator.fixtures.cluster.CommandResult;
import io.replicator.fixtures.cluster.NetworkFaults;
import io.replicator.fixtures.cluster.TestCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A seeded random schedule of faults against a {@link TestCluster} of real daemons (built with fault proxies) while a
 * {@link NemesisWriter} writes through the Primary: SIGKILL of a Secondary or of the Primary, restarts, partitions of a
 * pair both ways and one way, stalls, resets, slow links, heals, freezes (SIGSTOP, SIGCONT 0.3 to 3 s later) and
 * planned switchovers, with at most one daemon down at a time. Each step draws one event among those the state allows
 * (the writer writes between steps). Every event is logged with its time ({@link #events()}), for the failure message.
 *
 * <p>Roles. {@code primary} is the node this nemesis promoted and has not killed or demoted since; {@code home} is the
 * last node that was Primary, through which every acknowledged write went. The nemesis moves home only to a node that
 * provably holds every acknowledged write: at that moment the Primary's own status shows it Connected, Established and
 * UpToDate, no fault is set on any path, nothing is frozen (with protocol C, every write the Primary completed is on
 * it). Otherwise a killed Primary stays home: it is restarted and promoted again once the product lets it (a node
 * without that proof may be promotable by the product's rules, and would lack writes it was never sent: that is what
 * fencing is for, not a bug of the product).
 *
 * <p>Threads: the test's thread only; the writer runs on its own.
 */
final class Nemesis {
    private static final Duration PROMOTE_TIMEOUT = Duration.ofSeconds(10);
    /** At most one daemon is down at a time: with three nodes, two of them keep a quorum possible. */
    private static final int MAX_DEAD = 1;

    /** What a step can do. */
    enum Kind { HEAL, RESTART, KILL_SECONDARY, KILL_PRIMARY, PARTITION, PARTITION_ONE_WAY, STALL, RESET, SLOW, FREEZE,
        SWITCHOVER }

    private final TestCluster cluster;
    private final NetworkFaults network;
    private final NemesisWriter writer;
    private final Random random;
    private final List<String> nodes;
    private final List<String> events = new ArrayList<>();
    private final Map<Kind, Integer> counts = new TreeMap<>();
    private final TreeSet<String> dead = new TreeSet<>();
    private final long startNs = System.nanoTime();
    private String primary;
    private String home;
    private String lastRefusal = "";
    private int faults;

    Nemesis(TestCluster cluster, NemesisWriter writer, long seed, String primary) {
        this.cluster = cluster;
        this.network = cluster.network();
        this.writer = writer;
        this.random = new Random(seed);
        this.nodes = cluster.nodes().stream().map(node -> node.name()).toList();
        this.primary = primary;
        this.home = primary;
        writer.retarget(primary);
    }

    /** Runs steps until {@code faultEvents} faults (every event but heals and restarts) were applied. */
    void run(int faultEvents) throws InterruptedException {
        while (faults < faultEvents) {
            promoteHomeIfNeeded();
            step();
            Thread.sleep(150 + random.nextInt(850));
        }
    }

    /** Heals every path, restarts every killed daemon and promotes home again if it is not Primary. */
    void healEverything(Duration timeout) throws InterruptedException {
        network.healAll();
        for (String node : List.copyOf(dead)) {
            restart(node);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (primary == null && System.nanoTime() - deadline < 0) {
            promoteHomeIfNeeded();
            Thread.sleep(250);
        }
        log("END healed everything; Primary " + primary + ", home " + home);
    }

    /** The node every acknowledged write went through last. */
    String home() {
        return home;
    }

    /** The node this nemesis made Primary, or null. */
    String primary() {
        return primary;
    }

    /** Every event so far, one per line, with counts per kind. */
    String events() {
        return String.join("\n", events) + "\ncounts: " + counts;
    }

    private void step() throws InterruptedException {
        List<Kind> bag = new ArrayList<>();
        boolean mayImpair = dead.size() < MAX_DEAD;
        add(bag, Kind.HEAL, network.faulty() ? 3 : 0);
        add(bag, Kind.RESTART, dead.isEmpty() ? 0 : 4);
        add(bag, Kind.KILL_SECONDARY, mayImpair && !secondaries().isEmpty() ? 2 : 0);
        add(bag, Kind.KILL_PRIMARY, mayImpair && primary != null ? 2 : 0);
        add(bag, Kind.PARTITION, 2);
        add(bag, Kind.PARTITION_ONE_WAY, 2);
        add(bag, Kind.STALL, 1);
        add(bag, Kind.RESET, 1);
        add(bag, Kind.SLOW, 1);
        add(bag, Kind.FREEZE, 2);
        add(bag, Kind.SWITCHOVER, primary != null ? 1 : 0);
        Kind kind = bag.get(random.nextInt(bag.size()));
        counts.merge(kind, 1, Integer::sum);
        if (kind != Kind.HEAL && kind != Kind.RESTART) {
            faults++;
        }
        List<String> pair = pair();
        String a = pair.get(0);
        String b = pair.get(1);
        switch (kind) {
            case HEAL -> healSome();
            case RESTART -> restart(pick(List.copyOf(dead)));
            case KILL_SECONDARY -> {
                String node = pick(secondaries());
                cluster.kill9(node);
                dead.add(node);
                log("KILL_SECONDARY " + node);
            }
            case KILL_PRIMARY -> killPrimary();
            case PARTITION -> logged("PARTITION " + a + " <-> " + b, () -> network.partition(a, b));
            case PARTITION_ONE_WAY -> logged("PARTITION_ONE_WAY " + a + " -> " + b + " held",
                () -> network.partitionOneWay(a, b));
            case STALL -> logged("STALL " + a + " <-> " + b, () -> network.stall(a, b));
            case RESET -> logged("RESET " + a + " <-> " + b, () -> network.reset(a, b));
            case SLOW -> {
                Duration delay = Duration.ofMillis(2 + random.nextInt(30));
                logged("SLOW " + a + " <-> " + b + " " + delay.toMillis() + " ms/chunk",
                    () -> network.slow(a, b, delay));
            }
            case FREEZE -> freeze(pick(nodes.stream().filter(node -> !dead.contains(node)).toList()));
            case SWITCHOVER -> switchover();
        }
    }

    private void healSome() {
        List<String> pair;
        do {
            pair = pair();
        } while (!network.faulty(pair.get(0), pair.get(1)));
        network.heal(pair.get(0), pair.get(1));
        log("HEAL " + pair.get(0) + " <-> " + pair.get(1));
    }

    private void restart(String node) {
        cluster.restart(node);
        dead.remove(node);
        log("RESTART " + node);
    }

    private void freeze(String node) throws InterruptedException {
        int millis = 300 + random.nextInt(2700);
        cluster.freeze(node);
        log("FREEZE " + node + " for " + millis + " ms");
        Thread.sleep(millis);
        cluster.thaw(node);
    }

    /** Kills the Primary; a peer that provably holds every acknowledged write takes over, if the product lets it. */
    private void killPrimary() {
        String old = primary;
        Optional<String> candidate = peerInSync(old);
        writer.retarget(null);
        cluster.kill9(old);
        dead.add(old);
        primary = null;
        String outcome;
        if (candidate.isEmpty()) {
            outcome = "no peer provably in sync; " + old + " stays home";
        } else if (promote(candidate.get())) {
            primary = candidate.get();
            home = primary;
            writer.retarget(primary);
            outcome = "promoted " + primary;
        } else {
            outcome = candidate.get() + " not promoted (" + lastRefusal + "); " + old + " stays home";
        }
        log("KILL_PRIMARY " + old + ": " + outcome);
    }

    /** Planned: writes stop, the Primary demotes, a peer in sync (or the same node) is promoted, writes go on there. */
    private void switchover() throws InterruptedException {
        String old = primary;
        writer.pause();
        String next = peerInSync(old).orElse(old);
        CommandResult demoted = cluster.query(old, "secondary");
        if (!demoted.ok()) {
            writer.retarget(old);
            log("SWITCHOVER " + old + " -> " + next + ": demotion refused: " + firstLine(demoted.err()));
            return;
        }
        primary = null;
        if (promote(next) || (!next.equals(old) && promote(old))) {
            primary = cluster.role(next).startsWith("Primary") ? next : old;
            home = primary;
            writer.retarget(primary);
        }
        log("SWITCHOVER " + old + " -> " + next + ": Primary now " + primary
            + (primary == null ? " (" + lastRefusal + ")" : ""));
    }

    /** One attempt to make home Primary again when no node is. */
    private void promoteHomeIfNeeded() {
        if (primary != null || dead.contains(home)) {
            return;
        }
        CommandResult promoted = cluster.query(home, "primary");
        if (promoted.ok()) {
            primary = home;
            writer.retarget(home);
            log("PROMOTE " + home + " (home) again");
        } else if (!firstLine(promoted.err()).equals(lastRefusal)) {
            lastRefusal = firstLine(promoted.err());
            log("PROMOTE " + home + " refused: " + lastRefusal);
        }
    }

    /** {@code primary} on {@code node}, retried while refused, up to {@link #PROMOTE_TIMEOUT}. */
    private boolean promote(String node) {
        long deadline = System.nanoTime() + PROMOTE_TIMEOUT.toNanos();
        while (true) {
            CommandResult promoted = cluster.query(node, "primary");
            if (promoted.ok()) {
                return true;
            }
            lastRefusal = firstLine(promoted.err());
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** A peer that holds every write {@code node} completed: no fault anywhere and {@code node} sees it in sync. */
    private Optional<String> peerInSync(String node) {
        CommandResult status = cluster.query(node, "status", "--verbose");
        if (network.faulty() || !status.ok()) {
            return Optional.empty();
        }
        List<String> inSync = PeerViews.parse(status.out()).inSync().stream().filter(peer -> !dead.contains(peer))
            .toList();
        return inSync.isEmpty() ? Optional.empty() : Optional.of(pick(inSync));
    }

    private List<String> secondaries() {
        return nodes.stream().filter(node -> !node.equals(primary) && !dead.contains(node)).toList();
    }

    /** Two distinct nodes in random order. */
    private List<String> pair() {
        List<String> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, random);
        return shuffled.subList(0, 2);
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    private void logged(String event, Runnable fault) {
        fault.run();
        log(event);
    }

    private void log(String event) {
        String line = String.format("%7.1f s  %s", (System.nanoTime() - startNs) / 1e9, event);
        events.add(line);
        System.out.println("nemesis " + line);
    }

    private static void add(List<Kind> bag, Kind kind, int weight) {
        for (int i = 0; i < weight; i++) {
            bag.add(kind);
        }
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int end = stripped.indexOf('\n');
        return end < 0 ? stripped : stripped.substring(0, end);
    }
}

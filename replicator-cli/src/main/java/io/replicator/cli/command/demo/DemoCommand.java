package io.replicator.cli.command.demo;

import io.replicator.cli.daemon.RunDirectory;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.core.control.LoopbackPorts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code demo}: the quickstart. Two real node daemons on this machine, from the embedded two-node config (the README
 * tour's) with its disks in a scratch folder and free loopback ports; the run itself is {@link DemoRun}. Exit status
 * 0 only when no acknowledged write was lost and the two copies are identical after the failback.
 *
 * <p>Invariant: no daemon of the demo outlives it. On success the demo's last step shuts them down as an operator
 * would; on a failure, and on Ctrl-C through a JVM shutdown hook, {@link Cleanup} stops whatever still runs (SIGTERM,
 * then SIGKILL). The scratch folder is removed too, unless {@code --keep}.
 */
@Command(name = "demo", description = {
    "Quickstart: two real node daemons from the embedded two-node config, in a scratch folder on free loopback ports. "
        + "Creates metadata, runs the initial sync, writes through the Primary's NBD export, kills the Primary with "
        + "SIGKILL, promotes the Secondary and checks that every acknowledged write is there, brings the old Primary "
        + "back and resyncs it, compares the copies and prints a summary.",
    "Each step prints the replicator command it runs. Exit status 0 only if no acknowledged write was lost and the "
        + "copies are identical."})
public final class DemoCommand implements Callable<Integer> {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Scratch folder, empty or new (default: a new temporary folder).")
    Path dir;

    @Option(names = "--keep", description = "Keep the scratch folder (config, disks, daemon logs) at the end.")
    boolean keep;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the writes' block choices (default: random).")
    Long seed;

    @Option(names = "--write-seconds", paramLabel = "S", defaultValue = "3",
        description = "How long to write through the Primary before killing it (default: ${DEFAULT-VALUE}).")
    int writeSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (writeSeconds < 1 || writeSeconds > 60) {
            throw new ParameterException(spec.commandLine(), "--write-seconds: " + writeSeconds
                + " is not between 1 and 60");
        }
        PrintWriter out = spec.commandLine().getOut();
        ScratchFolder scratch = ScratchFolder.prepare(dir);
        Path config = scratch.folder().resolve("two-node.res");
        // Every command of the demo, and every daemon that 'up' starts, uses the scratch run folder.
        String previousRunDir = System.getProperty(RunDirectory.PROPERTY);
        System.setProperty(RunDirectory.PROPERTY, scratch.runFolder().toString());
        RunDirectory run = RunDirectory.resolve();
        DemoDaemons daemons = new DemoDaemons(config, run);
        Cleanup cleanup = new Cleanup(scratch, daemons, keep, out);
        Thread hook = new Thread(cleanup::interrupted, "demo cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Map<String, DemoNode> nodes = nodes();
            Files.writeString(config, DemoConfig.render(DemoConfig.embedded(), scratch.folder(), nodes),
                StandardCharsets.UTF_8);
            long workloadSeed = seed != null ? seed : new SplittableRandom().nextLong();
            intro(out, scratch, config, nodes, workloadSeed);
            DemoSummary summary = new DemoRun(out, config, nodes, run, daemons, workloadSeed,
                Duration.ofSeconds(writeSeconds)).run();
            summary.lines().forEach(out::println);
            out.flush();
            if (!summary.ok()) {
                throw new CommandFailure(ExitCode.FAILURE, "demo: " + summary.problems());
            }
            cleanup.succeeded();
            return ExitCode.SUCCESS.status();
        } finally {
            cleanup.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs or is about to: it does the same work, once.
            }
            if (previousRunDir == null) {
                System.clearProperty(RunDirectory.PROPERTY);
            } else {
                System.setProperty(RunDirectory.PROPERTY, previousRunDir);
            }
        }
    }

    /** alpha and bravo, each with three free loopback ports: peer, NBD, metrics. */
    private static Map<String, DemoNode> nodes() throws IOException {
        int[] ports = LoopbackPorts.pick(3 * DemoConfig.NODES.size());
        Map<String, DemoNode> nodes = new LinkedHashMap<>();
        for (int i = 0; i < DemoConfig.NODES.size(); i++) {
            String name = DemoConfig.NODES.get(i);
            nodes.put(name, new DemoNode(name, ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
        }
        return nodes;
    }

    private void intro(PrintWriter out, ScratchFolder scratch, Path config, Map<String, DemoNode> nodes,
                       long workloadSeed) {
        out.println("replicator demo: two node daemons on this machine; the Primary is killed under writes, the "
            + "Secondary takes over, the old Primary comes back and resyncs");
        out.println("  scratch folder: " + scratch.folder() + (keep ? " (kept: --keep)"
            : " (removed at the end; --keep keeps it)"));
        out.println("  config: " + config + ": fixtures/configs/two-node.res with its disks in the scratch folder, "
            + "free loopback ports, an NBD export and a metrics endpoint per node, and for loopback: "
            + String.join(" ", DemoConfig.NET_OPTIONS) + " " + String.join(" ", DemoConfig.DISK_OPTIONS));
        for (DemoNode node : nodes.values()) {
            out.printf("  %s: peers connect to 127.0.0.1:%d; NBD export %s while Primary; metrics at %s (curl it while "
                + "the demo runs)%n", node.name(), node.peerPort(),
                node.nbdUri(DemoConfig.RESOURCE), node.metricsUrl());
        }
        out.println("  to type the commands by hand (from the checkout; --keep keeps the files): export "
            + RunDirectory.ENV + "=" + scratch.runFolder() + "; alias replicator='bin/replicator -c " + config + "'");
        out.println("  seed " + workloadSeed + " (--seed " + workloadSeed + " repeats the block choices)");
        out.flush();
    }

    /**
     * Stops the demo's daemons and removes the scratch folder, once: at the end of {@link #call}, or from the
     * shutdown hook when the demo is interrupted (Ctrl-C, SIGTERM).
     */
    private static final class Cleanup {
        private final ScratchFolder scratch;
        private final DemoDaemons daemons;
        private final boolean keep;
        private final PrintWriter out;
        private boolean done;
        private boolean succeeded;

        Cleanup(ScratchFolder scratch, DemoDaemons daemons, boolean keep, PrintWriter out) {
            this.scratch = scratch;
            this.daemons = daemons;
            this.keep = keep;
            this.out = out;
        }

        synchronized void succeeded() {
            succeeded = true;
        }

        void interrupted() {
            synchronized (this) {
                if (done) {
                    return;
                }
            }
            out.println();
            out.println("demo interrupted: stopping its daemons");
            run();
        }

        synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            try {
                // Twice: an 'up' under way while the demo is interrupted may start a daemon after the first pass.
                for (int pass = 0; pass < 2; pass++) {
                    int running = daemons.all().size();
                    if (running > 0) {
                        out.println("stopping " + running + " daemon(s) of the demo that still run");
                    }
                    for (ProcessHandle survivor : daemons.stopAll(STOP_GRACE)) {
                        out.println("could not stop daemon pid " + survivor.pid() + ": kill it by hand");
                    }
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                out.println("interrupted while stopping the demo's daemons; check for processes running "
                    + scratch.folder());
            }
            if (keep) {
                out.println("scratch folder kept: " + scratch.folder());
            } else {
                for (Path left : scratch.remove()) {
                    out.println("could not remove " + left);
                }
                if (!succeeded) {
                    out.println("scratch folder removed; run with --keep to keep it (config, disks, daemon logs)");
                }
            }
            out.flush();
        }
    }
}

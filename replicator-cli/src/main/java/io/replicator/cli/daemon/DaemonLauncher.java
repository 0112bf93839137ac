package io.replicator.cli.daemon;

import io.replicator.cli.GlobalOptions;
import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.core.control.ControlClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts this node's daemon in the background when none answers, as {@code up} does: the same JVM and class path as
 * this CLI, in a session of its own ({@code setsid}) so that it outlives the CLI and the terminal, with its log in
 * the run folder.
 */
public final class DaemonLauncher {
    /**
     * JVM options every daemon runs with (also in {@code bin/replicator} for {@code daemon} in the foreground): let
     * Netty allocate its pooled direct memory without zeroing it. Without them each new 4 MiB pool chunk is zeroed
     * by {@code ByteBuffer.allocateDirect} and faulted in fresh — a sixth of the event loops' time in the 1 MiB write
     * benchmark, on both nodes.
     */
    public static final List<String> DAEMON_JVM_OPTIONS = List.of(
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private DaemonLauncher() {
    }

    /** Returns once a daemon answers on this node's socket, starting one if needed. */
    public static void ensureRunning(GlobalOptions global) {
        RunDirectory run = RunDirectory.resolve();
        String node = global.nodeName();
        Path socket = run.socket(node);
        if (ControlClient.isAlive(socket)) {
            return;
        }
        try {
            Files.createDirectories(run.folder());
            Path log = run.log(node);
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(DAEMON_JVM_OPTIONS);
            // JVM options for the daemon only (heap size, GC, a profiler), not for the short-lived client.
            String daemonOptions = System.getenv("REPLICATOR_DAEMON_JAVA_OPTS");
            if (daemonOptions != null && !daemonOptions.isBlank()) {
                command.addAll(List.of(daemonOptions.trim().split("\\s+")));
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(ReplicatorCommand.class.getName());
            command.add("-c");
            command.add(global.configPath().toAbsolutePath().toString());
            command.add("--node");
            command.add(node);
            command.add("daemon");
            ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
            // The daemon binds where this client will look, however this client chose the folder.
            builder.environment().put(RunDirectory.ENV, run.folder().toAbsolutePath().toString());
            Process process = builder.start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (ControlClient.isAlive(socket)) {
                    return;
                }
                if (!process.isAlive() && !command.get(0).endsWith("setsid")) {
                    break;
                }
                Thread.sleep(50);
            }
            throw new CommandFailure(ExitCode.NO_DAEMON, "the daemon of node " + node + " did not start within "
                + START_TIMEOUT.toSeconds() + " s; its log " + log + " ends with:\n" + tail(log));
        } catch (IOException failure) {
            throw new CommandFailure(ExitCode.NO_DAEMON, "cannot start the daemon of node " + node + ": "
                + failure.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCode.NO_DAEMON, "interrupted while starting the daemon");
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}

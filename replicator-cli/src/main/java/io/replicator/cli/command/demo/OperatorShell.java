package io.replicator.cli.command.demo;

import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.daemon.RunDirectory;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the operator's commands in this JVM, as {@code bin/replicator} runs them (the same parser and command classes;
 * {@code up} starts a real daemon process), and prints each first as the operator types it:
 * {@code $ replicator --node alpha up r0}. The {@code -c CONFIG} every command gets is printed once at the start,
 * with the run folder, not on every line. A command that fails ends the demo with its message and the node's log.
 */
final class OperatorShell {
    private static final int LOG_LINES = 15;

    private final PrintWriter out;
    private final Path config;
    private final RunDirectory run;

    /** What a command printed and returned. */
    record Result(int exitCode, String out, String err) {
        boolean ok() {
            return exitCode == ExitCode.SUCCESS.status();
        }
    }

    OperatorShell(PrintWriter out, Path config, RunDirectory run) {
        this.out = out;
        this.config = config.toAbsolutePath();
        this.run = run;
    }

    /** {@code replicator --node NODE ARGS} as the operator types it. */
    static String typed(String node, String... args) {
        return "replicator --node " + node + " " + String.join(" ", args);
    }

    /** Prints and runs {@code replicator --node NODE ARGS}, its output going straight to the terminal. */
    void run(String node, String... args) {
        out.println("$ " + typed(node, args));
        out.flush();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter errors = new PrintWriter(err)) {
            exit = ReplicatorCommand.execute(argv(node, args), out, errors);
        }
        out.print(err);
        out.flush();
        check(node, args, new Result(exit, "", err.toString()));
    }

    /**
     * Prints {@code replicator --node NODE ARGS} for every node, runs them at once (as on two machines), then prints
     * what each printed, in order.
     */
    void runOnEach(List<String> nodes, String... args) {
        List<CompletableFuture<Result>> runs = new ArrayList<>();
        for (String node : nodes) {
            out.println("$ " + typed(node, args));
            runs.add(CompletableFuture.supplyAsync(() -> quiet(node, args)));
        }
        out.flush();
        for (int i = 0; i < nodes.size(); i++) {
            Result result = runs.get(i).join();
            out.print(result.out());
            out.print(result.err());
            check(nodes.get(i), args, result);
        }
        out.flush();
    }

    /** Runs {@code replicator --node NODE ARGS} without printing anything: a poll, or a fact for a sentence. */
    Result quiet(String node, String... args) {
        StringWriter output = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(output); PrintWriter e = new PrintWriter(err)) {
            exit = ReplicatorCommand.execute(argv(node, args), o, e);
        }
        return new Result(exit, output.toString(), err.toString());
    }

    /** The last lines of {@code node}'s daemon log, for a failure message. */
    String logTail(String node) {
        Path log = run.log(node);
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
        } catch (IOException failure) {
            return "(cannot read " + log + ": " + failure.getMessage() + ")";
        }
    }

    private String[] argv(String node, String... args) {
        List<String> argv = new ArrayList<>(List.of("-c", config.toString(), "--node", node));
        argv.addAll(List.of(args));
        return argv.toArray(String[]::new);
    }

    private void check(String node, String[] args, Result result) {
        if (!result.ok()) {
            throw new CommandFailure(ExitCode.FAILURE, "demo: '" + typed(node, args) + "' failed with exit status "
                + result.exitCode() + (result.err().isBlank() ? "" : ": " + result.err().strip()) + "\n--- "
                + run.log(node) + " ends with:\n" + logTail(node));
        }
    }
}

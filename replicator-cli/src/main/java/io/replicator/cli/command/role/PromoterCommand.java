package io.replicator.cli.command.role;

import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.command.HelpOption;
import io.replicator.cli.daemon.RunDirectory;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.cli.promoter.Promoter;
import io.replicator.cli.promoter.PromoterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code promoter}: automatic failover, as drbd-reactor's promoter plugin does it, from a drbd-reactor promoter file
 * ({@link PromoterConfig}); runs in the foreground until SIGTERM ({@link Promoter}). {@code --status} prints what a
 * running promoter manages and why it waits.
 */
@Command(name = "promoter", description = {
    "Promote this node and start its services when a resource may be promoted; stop them and demote on quorum loss.",
    "Reads a drbd-reactor promoter file (TOML, runner = \"shell\"); runs in the foreground until SIGTERM."})
public final class PromoterCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    ReplicatorCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--promoter-config", paramLabel = "FILE",
        description = "The promoter file (default: ${DEFAULT-VALUE}).")
    Path promoterConfig = PromoterConfig.DEFAULT_PATH;

    @Option(names = "--status", description = "Print what the running promoter of this node manages, and why it "
        + "waits; then exit.")
    boolean status;

    @Override
    public Integer call() throws InterruptedException {
        String node = root.global().nodeName();
        Path statusFile = statusFile(node);
        if (status) {
            try {
                spec.commandLine().getOut().print(Files.readString(statusFile));
                spec.commandLine().getOut().flush();
                return ExitCode.SUCCESS.status();
            } catch (NoSuchFileException missing) {
                throw new CommandFailure(ExitCode.FAILURE, "no promoter has run for node " + node + " (no "
                    + statusFile + ")");
            } catch (IOException failure) {
                throw new CommandFailure(ExitCode.FAILURE, "cannot read " + statusFile + ": " + failure.getMessage());
            }
        }
        PromoterConfig config;
        try {
            config = PromoterConfig.load(promoterConfig);
        } catch (PromoterConfig.Invalid invalid) {
            invalid.errors().forEach(error -> spec.commandLine().getErr().println(promoterConfig + ": " + error));
            spec.commandLine().getErr().flush();
            return ExitCode.INVALID_CONFIG.status();
        }
        Promoter promoter = new Promoter(config, node, RunDirectory.resolve().socket(node), statusFile);
        Thread hook = new Thread(promoter::stop, "promoter-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        promoter.run();
        return ExitCode.SUCCESS.status();
    }

    /** Where the promoter of {@code node} writes its status: beside the daemon's socket. */
    static Path statusFile(String node) {
        return RunDirectory.resolve().folder().resolve(node + ".promoter");
    }
}

package io.replicator.cli.command.resource;

import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.command.HelpOption;
import io.replicator.cli.daemon.NodeDaemon;
import io.replicator.cli.daemon.PidFile;
import io.replicator.cli.daemon.RunDirectory;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.core.config.ConfigException;
import io.replicator.core.resource.VolumeOpener;
import io.replicator.core.control.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code daemon}: runs this node's daemon in the foreground, as a systemd unit does, until stopped; with
 * {@code --up}, brings resources up once it listens, so that one process started at boot is the whole node.
 */
@Command(name = "daemon", description = "Run this node's daemon in the foreground (SIGTERM or 'shutdown' stops it).")
public final class DaemonCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    ReplicatorCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--up", paramLabel = "RESOURCE", split = ",",
        description = "Once listening, bring these resources up as 'up' does ('all': every resource of this node). "
            + "A resource that fails to come up is logged; the daemon runs on.")
    List<String> up = List.of();

    @Override
    public Integer call() throws InterruptedException {
        // A misspelt resource is refused before anything starts, as 'up' refuses it.
        for (String resource : up) {
            if (!resource.equals("all")) {
                root.global().select(resource);
            }
        }
        String node = root.global().nodeName();
        RunDirectory run = RunDirectory.resolve();
        Path socket = run.socket(node);
        // Checked before the pid file is written, so that a second daemon never replaces the running one's file.
        if (ControlClient.isAlive(socket)) {
            throw new CommandFailure(ExitCode.FAILURE, "daemon: another daemon is already listening on " + socket);
        }
        PidFile pid;
        NodeDaemon daemon;
        try {
            pid = PidFile.write(run.pidFile(node));
        } catch (IOException failure) {
            throw new CommandFailure(ExitCode.FAILURE, "daemon: cannot write " + run.pidFile(node) + ": "
                + failure.getMessage());
        }
        try {
            daemon = NodeDaemon.start(root.global().configPath(), node, socket, VolumeOpener.STORAGE);
        } catch (ConfigException invalid) {
            pid.close();
            throw new CommandFailure(ExitCode.INVALID_CONFIG, invalid.getMessage());
        } catch (IOException failure) {
            pid.close();
            throw new CommandFailure(ExitCode.FAILURE, "daemon: " + failure.getMessage());
        }
        Thread hook = new Thread(() -> {
            daemon.close();
            pid.close();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        daemon.up(up, spec.commandLine().getOut(), spec.commandLine().getErr());
        daemon.awaitStop();
        Runtime.getRuntime().removeShutdownHook(hook);
        daemon.close();
        pid.close();
        return ExitCode.SUCCESS.status();
    }
}

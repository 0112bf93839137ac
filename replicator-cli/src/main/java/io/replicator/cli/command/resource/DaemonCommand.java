package io.replicator.cli.command.resource;

import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.daemon.NodeDaemon;
import io.replicator.cli.daemon.RunDirectory;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.core.config.ConfigException;
import io.replicator.core.resource.VolumeOpener;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code daemon}: runs this node's daemon in the foreground, as a systemd unit does, until stopped. */
@Command(name = "daemon", description = "Run this node's daemon in the foreground (SIGTERM or 'shutdown' stops it).")
public final class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    ReplicatorCommand root;

    @Override
    public Integer call() throws InterruptedException {
        String node = root.global().nodeName();
        NodeDaemon daemon;
        try {
            daemon = NodeDaemon.start(root.global().configPath(), node, RunDirectory.resolve().socket(node),
                VolumeOpener.STORAGE);
        } catch (ConfigException invalid) {
            throw new CommandFailure(ExitCode.INVALID_CONFIG, invalid.getMessage());
        } catch (IOException failure) {
            throw new CommandFailure(ExitCode.FAILURE, "daemon: " + failure.getMessage());
        }
        Thread hook = new Thread(daemon::close, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        daemon.awaitStop();
        Runtime.getRuntime().removeShutdownHook(hook);
        daemon.close();
        return ExitCode.SUCCESS.status();
    }
}

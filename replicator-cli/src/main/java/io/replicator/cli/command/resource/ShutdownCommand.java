package io.replicator.cli.command.resource;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code shutdown}: detaches every resource cleanly and stops this node's daemon. */
@Command(name = "shutdown", description = "Detach every resource cleanly and stop this node's daemon.")
public final class ShutdownCommand extends DaemonVerb {
    @Override
    protected List<String> argv() {
        return DaemonClient.argv("shutdown", null);
    }
}

package io.replicator.cli.command.resource;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import io.replicator.cli.daemon.DaemonLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code up}: attach and connect, starting this node's daemon first if none runs. */
@Command(name = "up", description = "Attach the disks and connect to the peers (starts the node daemon if needed).")
public final class UpCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected void beforeForward() {
        if (!resource.equals("all")) {
            root.global().select(resource);
        }
        DaemonLauncher.ensureRunning(root.global());
    }

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("up", resource);
    }
}

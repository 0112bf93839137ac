package io.replicator.cli.command.resource;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;

import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code disconnect}: Disconnect from the peers. */
@Command(name = "disconnect", description = "Disconnect from the peers.")
public final class DisconnectCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("disconnect", resource);
    }
}

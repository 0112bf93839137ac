package io.replicator.cli.command.status;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;

import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code cstate}: Print the connection state of each peer. */
@Command(name = "cstate", description = "Print the connection state of each peer.")
public final class CstateCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("cstate", resource);
    }
}

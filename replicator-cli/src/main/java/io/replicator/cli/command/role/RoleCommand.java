package io.replicator.cli.command.role;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;

import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code role}: Print this node's role. */
@Command(name = "role", description = "Print this node's role.")
public final class RoleCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("role", resource);
    }
}

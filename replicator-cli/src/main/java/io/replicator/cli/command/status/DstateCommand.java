package io.replicator.cli.command.status;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;

import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code dstate}: Print the disk states: local/peer. */
@Command(name = "dstate", description = "Print the disk states: local/peer.")
public final class DstateCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("dstate", resource);
    }
}

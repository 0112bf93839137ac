package io.replicator.cli.command.role;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code primary}: Promote this node to Primary. */
@Command(name = "primary", description = "Promote this node to Primary.")
public final class PrimaryCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Option(names = "--force", description = "Declare this node's data UpToDate and promote (initial setup, disaster recovery).")
    boolean force;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("primary", resource, flag(force, "--force"));
    }
}

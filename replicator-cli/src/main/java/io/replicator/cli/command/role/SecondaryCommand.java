package io.replicator.cli.command.role;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code secondary}: Demote this node to Secondary. */
@Command(name = "secondary", description = "Demote this node to Secondary.")
public final class SecondaryCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Option(names = "--force", description = "Demote even while NBD clients are attached: their requests fail with ESHUTDOWN.")
    boolean force;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("secondary", resource, flag(force, "--force"));
    }
}

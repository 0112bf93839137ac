package io.replicator.cli.command.resource;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;

import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code outdate}: Mark the local data Outdated (refused while connected or Primary). */
@Command(name = "outdate", description = "Mark the local data Outdated (refused while connected or Primary).")
public final class OutdateCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("outdate", resource);
    }
}

package io.replicator.cli.command.resource;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code detach}: Detach the backing disks cleanly. */
@Command(name = "detach", description = "Detach the backing disks cleanly.")
public final class DetachCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Option(names = "--force", description = "Detach even the only UpToDate disk of a Primary.")
    boolean force;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("detach", resource, flag(force, "--force"));
    }
}

package io.replicator.cli.command.resync;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code pause-sync}: set the user pause flag on every resync of the resource. */
@Command(name = "pause-sync", description = "Pause the resource's resyncs (resync-suspended:user) until 'resume-sync'.")
public final class PauseSyncCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("pause-sync", resource);
    }
}

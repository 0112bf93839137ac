package io.replicator.cli.command.resync;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code resume-sync}: clear the user pause flag that {@code pause-sync} set. */
@Command(name = "resume-sync", description = "Resume the resyncs that 'pause-sync' paused.")
public final class ResumeSyncCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("resume-sync", resource);
    }
}

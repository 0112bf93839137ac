package io.replicator.cli.command.resource;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;

import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code attach}: Attach the backing disks (replaying the activity log). */
@Command(name = "attach", description = "Attach the backing disks (replaying the activity log).")
public final class AttachCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("attach", resource);
    }
}

package io.replicator.cli.command.resource;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code resume-io}: lifts {@code suspend-io} and a fencing freeze whose {@code fence-peer} handler failed (the
 * operator then takes the risk that the lost peer goes on with its own copy). A quorum suspension stays.
 */
@Command(name = "resume-io", description = {"Resume the writes that 'suspend-io' or a fencing freeze "
    + "(fencing resource-and-stonith, fence-peer failed) suspended.",
    "A suspension for lack of quorum stays until quorum returns."})
public final class ResumeIoCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("resume-io", resource);
    }
}

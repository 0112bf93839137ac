package io.replicator.cli.command.resource;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code suspend-io}: new writes of the resource wait ({@code suspended:user}) until {@code resume-io}. */
@Command(name = "suspend-io", description = "Suspend the resource's new writes (suspended:user) until 'resume-io'.")
public final class SuspendIoCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("suspend-io", resource);
    }
}

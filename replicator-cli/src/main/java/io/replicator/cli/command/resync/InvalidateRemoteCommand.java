package io.replicator.cli.command.resync;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code invalidate-remote}: declare the peers' data out of date and resync it from this node. */
@Command(name = "invalidate-remote", description = {
    "Declare the connected peers' data out of date and resync it from this node (this node becomes SyncSource).",
    "With --reset-bitmap=no only the blocks already marked out of sync (e.g. by 'verify') are resynced."})
public final class InvalidateRemoteCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Option(names = "--reset-bitmap", arity = "1", paramLabel = "yes|no", converter = ResetBitmapConverter.class,
        description = "yes (default): resync every block; no: resync only the blocks marked out of sync.")
    boolean resetBitmap = true;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("invalidate-remote", resource, resetBitmap ? null : "--reset-bitmap=no");
    }
}

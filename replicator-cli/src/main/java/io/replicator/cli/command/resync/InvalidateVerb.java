package io.replicator.cli.command.resync;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** What {@code invalidate} and {@code invalidate-remote} share: a resource and {@code --reset-bitmap}. */
abstract class InvalidateVerb extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Option(names = "--reset-bitmap", arity = "1", paramLabel = "yes|no", converter = ResetBitmapConverter.class,
        description = "yes (default): resync every block; no: resync only the blocks marked out of sync.")
    boolean resetBitmap = true;

    /** The daemon verb. */
    abstract String verb();

    @Override
    protected List<String> argv() {
        return DaemonClient.argv(verb(), resource, resetBitmap ? null : "--reset-bitmap=no");
    }
}

package io.replicator.cli.command.resource;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code new-current-uuid}: Start a new data generation. */
@Command(name = "new-current-uuid", description = "Start a new data generation.")
public final class NewCurrentUuidCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Option(names = "--clear-bitmap", description = "Also clear the bitmaps and mark the data UpToDate: skips the initial sync of fresh metadata.")
    boolean clearBitmap;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("new-current-uuid", resource, flag(clearBitmap, "--clear-bitmap"));
    }
}

package io.replicator.cli.command.status;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;

import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code get-gi}: Print the generation ids: CUR:BM:H1:H2:flags. */
@Command(name = "get-gi", description = "Print the generation ids: CUR:BM:H1:H2:flags.")
public final class GetGiCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("get-gi", resource);
    }
}

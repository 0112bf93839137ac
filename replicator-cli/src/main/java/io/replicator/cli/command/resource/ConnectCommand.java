package io.replicator.cli.command.resource;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code connect}: Connect to the peers. */
@Command(name = "connect", description = "Connect to the peers.")
public final class ConnectCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Option(names = "--discard-my-data", description = "On split brain, let this node's changes be discarded (manual recovery).")
    boolean discardMyData;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("connect", resource, flag(discardMyData, "--discard-my-data"));
    }
}

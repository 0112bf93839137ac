package io.replicator.cli.command.status;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code events [RES]}: the state, then every change, in drbdsetup's events2 line format. */
@Command(name = "events", description = "Print the state and then every change as events2 lines (Ctrl-C to stop).")
public final class EventsCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", arity = "0..1", description = "The resource (default: all).")
    String resource;

    @Option(names = "--now", description = "Print the current state and 'exists -', then stop.")
    boolean now;

    @Option(names = "--timestamps", description = "Prefix every line with its time (ISO 8601).")
    boolean timestamps;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("events", resource == null ? "all" : resource, flag(now, "--now"),
            flag(timestamps, "--timestamps"));
    }
}

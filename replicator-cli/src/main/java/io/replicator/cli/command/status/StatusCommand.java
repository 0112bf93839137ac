package io.replicator.cli.command.status;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code status [RES]}: the state of the resources in drbdadm's layout. */
@Command(name = "status", description = "Show the state of the resources (drbdadm status layout).")
public final class StatusCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", arity = "0..1", description = "The resource (default: all).")
    String resource;

    @Option(names = "--json", description = "Print JSON, as drbdsetup status --json.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Add node ids, minors, backing devices.")
    boolean verbose;

    @Option(names = {"-s", "--statistics"}, description = "Add I/O and resync counters.")
    boolean statistics;

    @Override
    protected List<String> argv() {
        return DaemonClient.argv("status", resource == null ? "all" : resource, flag(json, "--json"),
            flag(verbose, "--verbose"), flag(statistics, "--statistics"));
    }
}

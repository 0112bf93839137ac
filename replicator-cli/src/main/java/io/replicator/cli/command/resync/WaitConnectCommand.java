package io.replicator.cli.command.resync;

import io.replicator.cli.output.SyncProgress.Goal;
import picocli.CommandLine.Command;

/** {@code wait-connect}: block until every connection of the resource is Connected. */
@Command(name = "wait-connect", description = {
    "Wait until every connection of the resource is Connected (as drbdsetup wait-connect-resource).",
    "Exit status 0 once connected; 1 after --timeout."})
public final class WaitConnectCommand extends WaitVerb {
    @Override
    Goal goal() {
        return Goal.CONNECTED;
    }
}

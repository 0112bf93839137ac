package io.replicator.cli.command.resync;

import io.replicator.cli.output.SyncProgress.Goal;
import picocli.CommandLine.Command;

/** {@code wait-sync}: block until the resource is connected and in sync, drawing the resync's progress. */
@Command(name = "wait-sync", description = {
    "Wait until every connection of the resource is Connected, every peer device Established and the disks on "
        + "both sides UpToDate (as drbdsetup wait-sync-resource).",
    "On a terminal (or with --progress) a bar per peer device shows done %%, rate and ETA; otherwise a line per "
        + "peer device is printed every 5 seconds. Exit status 0 once in sync; 1 after --timeout."})
public final class WaitSyncCommand extends WaitVerb {
    @Override
    Goal goal() {
        return Goal.IN_SYNC;
    }
}

package io.replicator.cli.command.resync;

import picocli.CommandLine.Command;

/** {@code invalidate}: declare this node's data out of date and resync it from a peer. */
@Command(name = "invalidate", description = {
    "Declare this node's data out of date and resync it from a connected peer with UpToDate data "
        + "(this node becomes SyncTarget).",
    "With --reset-bitmap=no only the blocks already marked out of sync (e.g. by 'verify') are resynced."})
public final class InvalidateCommand extends InvalidateVerb {
    @Override
    String verb() {
        return "invalidate";
    }
}

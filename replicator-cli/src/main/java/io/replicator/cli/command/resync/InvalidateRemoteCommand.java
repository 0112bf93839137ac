package io.replicator.cli.command.resync;

import picocli.CommandLine.Command;

/** {@code invalidate-remote}: declare the peers' data out of date and resync it from this node. */
@Command(name = "invalidate-remote", description = {
    "Declare the connected peers' data out of date and resync it from this node (this node becomes SyncSource).",
    "With --reset-bitmap=no only the blocks already marked out of sync (e.g. by 'verify') are resynced."})
public final class InvalidateRemoteCommand extends InvalidateVerb {
    @Override
    String verb() {
        return "invalidate-remote";
    }
}

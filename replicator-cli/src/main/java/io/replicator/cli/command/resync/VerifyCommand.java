package io.replicator.cli.command.resync;

import io.replicator.cli.command.DaemonVerb;
import io.replicator.cli.daemon.DaemonClient;
import io.replicator.cli.daemon.RequestFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.OptionalLong;

/** {@code verify}: online verify against every connected peer; differences are marked, not repaired. */
@Command(name = "verify", description = {
    "Compare this node's blocks with every connected peer's by digest (net { verify-alg }). Differences are "
        + "marked out of sync, not repaired: repair them with 'invalidate' or 'invalidate-remote' "
        + "--reset-bitmap=no.",
    "Positions are 512-byte sectors, or sizes with a unit (s, k, M, G, T). Without --start the verify resumes "
        + "where the last one stopped."})
public final class VerifyCommand extends DaemonVerb {
    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Option(names = "--start", paramLabel = "SECTOR", converter = SectorConverter.class,
        description = "Where to start (default: where the last verify stopped).")
    Long startSector;

    @Option(names = "--stop", paramLabel = "SECTOR", converter = SectorConverter.class,
        description = "Where to stop, exclusive (default: the end of the device).")
    Long stopSector;

    @Override
    protected List<String> argv() {
        try {
            RequestFlags.checkRange(optional(startSector), optional(stopSector));
        } catch (IllegalArgumentException empty) {
            throw new ParameterException(spec.commandLine(), empty.getMessage());
        }
        return DaemonClient.argv("verify", resource, startSector == null ? null : "--start=" + startSector,
            stopSector == null ? null : "--stop=" + stopSector);
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }
}

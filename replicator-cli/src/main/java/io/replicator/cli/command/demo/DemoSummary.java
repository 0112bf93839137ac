package io.replicator.cli.command.demo;

import io.replicator.net.nbd.client.Verification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What one demo run proved, and how long each phase took.
 *
 * @param seed           the workload's seed ({@code --seed} repeats its block choices)
 * @param ackedOnAlpha   writes acknowledged through alpha's export before the kill
 * @param inFlightAtKill writes sent to alpha and not answered when it died (either outcome is allowed)
 * @param onBravo        the check of those writes through bravo's export after the failover
 * @param ackedOnBravo   writes acknowledged through bravo's export after the failover
 * @param onAlpha        the check of every write of both phases on alpha's disk after the failback
 * @param bitmapKiB      what bravo's bitmap marked out of sync toward alpha just before alpha came back
 * @param resyncKiB      what the resync after the failback copied, as alpha's log reports it; empty if it does not
 * @param dataBytes      the size of each data area compared
 * @param alphaSha256    SHA-256 of alpha's data area after the failback
 * @param bravoSha256    SHA-256 of bravo's data area after the failback
 * @param phases         phase name to duration, in order
 * @param total          the whole run
 */
record DemoSummary(long seed, long ackedOnAlpha, long inFlightAtKill, Verification onBravo, long ackedOnBravo,
                   Verification onAlpha, long bitmapKiB, OptionalLong resyncKiB, long dataBytes, String alphaSha256,
                   String bravoSha256, Map<String, Duration> phases, Duration total) {
    DemoSummary {
        phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }

    /** Acknowledged writes missing on bravo after the failover or on alpha after the failback. */
    long lost() {
        return onBravo.lost().size() + onAlpha.lost().size();
    }

    boolean identical() {
        return alphaSha256.equals(bravoSha256);
    }

    /** Nothing acknowledged was lost, nothing is out of order or corrupt, and the two copies are identical. */
    boolean ok() {
        return onBravo.ok() && onAlpha.ok() && identical();
    }

    /** The summary as printed. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("  writes acknowledged: " + ackedOnAlpha + " through alpha until the kill (" + inFlightAtKill
            + " more in flight, which may or may not have landed), " + ackedOnBravo + " through bravo after the "
            + "failover");
        lines.add("  writes verified: " + verified(onBravo) + " of " + onBravo.ackedWrites() + " on bravo through its "
            + "NBD export after the failover, " + verified(onAlpha) + " of " + onAlpha.ackedWrites()
            + " on alpha's disk after the failback");
        lines.add("  lost: " + lost());
        if (!onBravo.ok() || !onAlpha.ok()) {
            lines.add("  findings: on bravo " + onBravo + "; on alpha " + onAlpha);
        }
        lines.add("  resync after the failback: " + resyncKiB.stream().mapToObj(kib -> kib + " KiB of "
            + (dataBytes >> 20) + " MiB, not the whole volume: bravo's bitmap marked " + bitmapKiB + " KiB, and "
            + "alpha, which crashed as Primary, the 4 MiB activity-log extents it had open").findFirst()
            .orElse("unknown (alpha's log has no 'resync started as SyncTarget' line); bravo's bitmap marked "
                + bitmapKiB + " KiB"));
        lines.add("  copies: " + (identical() ? "identical (sha256 " + alphaSha256 + " on both)"
            : "DIFFERENT (alpha sha256 " + alphaSha256 + ", bravo sha256 " + bravoSha256 + ")"));
        StringBuilder time = new StringBuilder("  time:");
        phases.forEach((phase, duration) -> time.append(' ').append(phase).append(' ').append(seconds(duration))
            .append(','));
        lines.add(time.append(" total ").append(seconds(total)).toString());
        lines.add(ok() ? "OK: no acknowledged write was lost, and alpha and bravo hold identical copies after the "
            + "failback." : "FAILED: " + problems());
        return lines;
    }

    /** What went wrong, for the failure message. */
    String problems() {
        List<String> problems = new ArrayList<>();
        if (lost() > 0) {
            problems.add(lost() + " acknowledged writes lost");
        }
        long disorder = onBravo.orderViolations().size() + onAlpha.orderViolations().size();
        if (disorder > 0) {
            problems.add(disorder + " writes present without an earlier one");
        }
        long corrupt = onBravo.corrupt().size() + onAlpha.corrupt().size();
        if (corrupt > 0) {
            problems.add(corrupt + " corrupt blocks");
        }
        if (!identical()) {
            problems.add("the copies differ after the failback");
        }
        return String.join("; ", problems) + " (seed " + seed + ")";
    }

    private static long verified(Verification verification) {
        return verification.ackedWrites() - verification.lost().size();
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}

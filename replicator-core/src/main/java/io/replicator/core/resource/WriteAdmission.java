package io.replicator.core.resource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a Primary's writes may enter its data path now, and why not. Three causes hold them, each set and lifted on
 * its own, as DRBD's {@code suspended:} list shows them:
 * <ul>
 *   <li>{@link Cause#USER} — {@code suspend-io}, until {@code resume-io}: writes wait.</li>
 *   <li>{@link Cause#FENCING} — {@code fencing resource-and-stonith} lost a peer: writes wait until the
 *       {@code fence-peer} handler outdated or fenced it, or the operator runs {@code resume-io}
 *       ({@link FencingKeeper}).</li>
 *   <li>{@link Cause#QUORUM} — no quorum ({@link QuorumKeeper}): writes wait ({@code on-no-quorum suspend-io}) or
 *       fail at once ({@code io-error}).</li>
 * </ul>
 * A write fails when some cause fails it, waits (parked in its {@link VolumeIo}) when some cause holds it, and enters
 * otherwise. The owner lane sets it; I/O threads read it.
 */
final class WriteAdmission {
    enum Mode {
        /** Writes enter. */
        OPEN,
        /** Writes wait. */
        PARK,
        /** Writes fail. */
        FAIL
    }

    /** Why writes may be held, in DRBD's order of the {@code suspended:} list. */
    enum Cause {
        USER("user"),
        FENCING("fencing"),
        QUORUM("quorum");

        private final String drbdName;

        Cause(String drbdName) {
            this.drbdName = drbdName;
        }

        /** The word in DRBD's {@code suspended:} list. */
        String drbdName() {
            return drbdName;
        }
    }

    private record Hold(Mode mode, String why) {
    }

    private final Map<Cause, Hold> holds = new EnumMap<>(Cause.class);
    private volatile Mode mode = Mode.OPEN;
    private volatile String reason = "";

    Mode mode() {
        return mode;
    }

    /** Why writes do not enter now; empty while they do. */
    String reason() {
        return reason;
    }

    /** Whether {@code cause} holds or fails writes now. */
    synchronized boolean holds(Cause cause) {
        return holds.containsKey(cause);
    }

    /** The causes that park writes now, in DRBD's order (the {@code suspended:} list). */
    synchronized List<String> suspendedBy() {
        List<String> names = new ArrayList<>();
        holds.forEach((cause, hold) -> {
            if (hold.mode == Mode.PARK) {
                names.add(cause.drbdName());
            }
        });
        return names;
    }

    /** Sets what {@code cause} does to writes; {@link Mode#OPEN} lifts it. */
    synchronized void set(Cause cause, Mode newMode, String why) {
        if (newMode == Mode.OPEN) {
            holds.remove(cause);
        } else {
            holds.put(cause, new Hold(newMode, why));
        }
        Mode strictest = Mode.OPEN;
        List<String> reasons = new ArrayList<>();
        for (Hold hold : holds.values()) {
            strictest = hold.mode.compareTo(strictest) > 0 ? hold.mode : strictest;
            reasons.add(hold.why);
        }
        reason = String.join("; ", reasons);
        mode = strictest;
    }
}

package io.replicator.core.resource;

import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;

import java.util.Collection;

/**
 * DRBD's fencing rules (drbd.md §10), pure: which peer must be fenced when, and what the {@code fence-peer} handler's
 * exit status means. {@link FencingKeeper} carries them out.
 *
 * <ul>
 *   <li>{@code fencing dont-care} (the default) fences nothing.</li>
 *   <li>Under {@code resource-only} and {@code resource-and-stonith}, a Primary that loses a peer with good data
 *       (UpToDate or Consistent) runs {@code fence-peer} for it; under {@code resource-and-stonith} its writes are
 *       frozen (none enters, none completes) until the handler outdated or fenced the peer, or the operator runs
 *       {@code resume-io}.</li>
 *   <li>A Secondary is not promoted while a peer it does not reach is not known Outdated: it runs {@code fence-peer}
 *       for each such peer first, and is refused ({@code (-7) Refusing to be Primary while peer is not outdated})
 *       unless every handler succeeded — or {@code --force} takes the risk ("forced into split brain").</li>
 * </ul>
 */
final class FencingRules {
    /** What a {@code fence-peer} exit status says about the peer. */
    enum Verdict {
        /** 3 (Inconsistent), 4 (outdated), 5 with UpToDate data here (unreachable), 7 (STONITHed). */
        PEER_OUTDATED,
        /** 6: the peer is Primary — this node's data is the stale one. */
        PEER_PRIMARY,
        /** Anything else, and 5 without UpToDate data here: the peer may still be promoted with good data. */
        FAILED
    }

    private FencingRules() {
    }

    /** Whether {@code fencing} (the connection's net option) fences at all. */
    static boolean fences(String fencing) {
        return !fencing.equals("dont-care");
    }

    /** Whether {@code fencing} freezes the writes of a Primary until the lost peer is fenced. */
    static boolean freezes(String fencing) {
        return fencing.equals("resource-and-stonith");
    }

    /**
     * Whether losing a peer calls for {@code fence-peer}: this node is Primary, fencing is on for the connection, and
     * some volume of the peer last reported good data (a peer known Outdated or Inconsistent cannot be promoted
     * with data newer than ours).
     */
    static boolean fenceOnLoss(String fencing, Role role, Collection<DiskState> peerDisks) {
        return fences(fencing) && role == Role.PRIMARY
            && peerDisks.stream().anyMatch(disk -> disk == DiskState.UP_TO_DATE || disk == DiskState.CONSISTENT);
    }

    /** Whether promotion must fence a peer it does not reach first: fencing on, and not known Outdated. */
    static boolean fenceBeforePromotion(String fencing, boolean replicating, boolean knownOutdated) {
        return fences(fencing) && !replicating && !knownOutdated;
    }

    /** The meaning of {@code fence-peer}'s exit status {@code status}, with this node's data UpToDate or not. */
    static Verdict verdict(int status, boolean upToDateHere) {
        return switch (status) {
            case 3, 4, 7 -> Verdict.PEER_OUTDATED;
            case 5 -> upToDateHere ? Verdict.PEER_OUTDATED : Verdict.FAILED;
            case 6 -> Verdict.PEER_PRIMARY;
            default -> Verdict.FAILED;
        };
    }

    /** DRBD's words for an exit status, for the log and refusals. */
    static String describe(int status) {
        return switch (status) {
            case 3 -> "peer is Inconsistent";
            case 4 -> "peer was outdated";
            case 5 -> "peer is unreachable";
            case 6 -> "peer is Primary";
            case 7 -> "peer was fenced (STONITH)";
            case HandlerInvoker.NO_EXIT_STATUS -> "no exit status";
            default -> "fence-peer handler is broken";
        };
    }
}

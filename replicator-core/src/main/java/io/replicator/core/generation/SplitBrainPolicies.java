package io.replicator.core.generation;

import io.replicator.core.config.NetConfig;
import java.util.Objects;

/**
 * The {@code net { }} policies that the connect-time handshake applies after the id comparison (drbd.md §4 steps
 * 3–5, §5), as one node holds them.
 *
 * <p>Both nodes of a connection must hold the same policies, except that {@code discard-node-NAME} reads as
 * discard-local on node NAME and discard-remote on the other ({@link #mirror()}); DRBD checks this when the peers
 * exchange their protocol settings, and {@link HandshakeDecider} relies on it to reach mirror-image decisions.
 *
 * @param afterSb0pri after-sb-0pri, for a split brain with no Primary now
 * @param afterSb1pri after-sb-1pri, for a split brain with one Primary now
 * @param afterSb2pri after-sb-2pri, for a split brain with two Primaries now
 * @param rrConflict  rr-conflict, for a decision that would make a Primary the sync target
 * @param alwaysAsbp  always-asbp: also apply the after-sb policies to a split brain that is not auto-recoverable
 *                    (the ids share only a history ancestor); a resolution then forces a full sync
 */
public record SplitBrainPolicies(AfterSb0pri afterSb0pri, AfterSb1pri afterSb1pri, AfterSb2pri afterSb2pri,
                                 RrConflict rrConflict, boolean alwaysAsbp) {
    /** DRBD's defaults: disconnect everywhere, always-asbp off. */
    public static final SplitBrainPolicies DEFAULT = new SplitBrainPolicies(AfterSb0pri.DISCONNECT,
        AfterSb1pri.DISCONNECT, AfterSb2pri.DISCONNECT, RrConflict.DISCONNECT, false);

    public SplitBrainPolicies {
        Objects.requireNonNull(afterSb0pri, "afterSb0pri");
        Objects.requireNonNull(afterSb1pri, "afterSb1pri");
        Objects.requireNonNull(afterSb2pri, "afterSb2pri");
        Objects.requireNonNull(rrConflict, "rrConflict");
    }

    /**
     * The policies of {@code net} as node {@code selfName} holds them ({@code discard-node-NAME} resolved).
     *
     * @throws IllegalArgumentException if a policy is not one of its Keywords values (the validator rejects those)
     */
    public static SplitBrainPolicies of(NetConfig net, String selfName) {
        return new SplitBrainPolicies(AfterSb0pri.parse(net.afterSb0pri(), selfName),
            AfterSb1pri.parse(net.afterSb1pri()), AfterSb2pri.parse(net.afterSb2pri()),
            RrConflict.parse(net.rrConflict()), net.alwaysAsbp());
    }

    /** The policies as the peer holds them: discard-local and discard-remote swap. */
    public SplitBrainPolicies mirror() {
        return new SplitBrainPolicies(afterSb0pri.mirror(), afterSb1pri, afterSb2pri, rrConflict, alwaysAsbp);
    }
}

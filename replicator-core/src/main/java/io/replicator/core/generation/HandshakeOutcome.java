package io.replicator.core.generation;

import java.util.List;
import java.util.Objects;

/**
 * What the connect-time handshake decided for this node ({@link HandshakeDecider}).
 *
 * <p>When {@link #action()} is {@link Action#PROCEED}, {@link #decision()} is the resync to run: {@link
 * SyncDecision.NoSync}, or this node as source or target, bitmap-based or full. Otherwise the connection is dropped
 * and {@link #decision()} is what could not be carried out (the split brain, the unrelated data, or the refused
 * resync), for the log. The peer, deciding with the sides swapped, reaches the same action and the mirror decision.
 *
 * @param decision    the final decision, as this node sees it
 * @param action      what the connection does next
 * @param handlers    the handlers this node runs, in order; the peer runs its own
 * @param explanation one human line for the log: the comparison and every step that changed or refused it
 */
public record HandshakeOutcome(SyncDecision decision, Action action, List<Handler> handlers, String explanation) {
    public HandshakeOutcome {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(action, "action");
        handlers = List.copyOf(handlers);
        Objects.requireNonNull(explanation, "explanation");
        if (action == Action.PROCEED && !(decision instanceof SyncDecision.NoSync) && !decision.isSyncSource()
            && !decision.isSyncTarget()) {
            throw new IllegalArgumentException("cannot proceed with " + decision.strategyName());
        }
    }

    /** Whether this node starts a resync as SyncSource. */
    public boolean syncSource() {
        return action == Action.PROCEED && decision.isSyncSource();
    }

    /** Whether this node starts a resync as SyncTarget. */
    public boolean syncTarget() {
        return action == Action.PROCEED && decision.isSyncTarget();
    }

    /** What the connection does after the handshake. */
    public enum Action {
        /** Stay connected and run {@link #decision()} (which may be no-sync). */
        PROCEED,
        /** Drop the connection and stay StandAlone until an operator connects again. */
        DISCONNECT,
        /** Drop the connection and connect again at once (rr-conflict retry-connect). */
        RETRY_CONNECT
    }

    /** A handler (drbd.conf {@code handlers { }}) the handshake asks this node to run. */
    public enum Handler {
        /** {@code initial-split-brain}: a split brain was detected, whether or not it is then resolved. */
        INITIAL_SPLIT_BRAIN("initial-split-brain"),
        /** {@code split-brain}: the split brain stays unresolved and the connection drops to StandAlone. */
        SPLIT_BRAIN("split-brain"),
        /**
         * call-pri-lost-after-sb discarded this node while it is Primary: demote to Secondary before the resync, and
         * only if that fails run {@code pri-lost-after-sb} (which should reboot the node) and drop the connection.
         */
        DEMOTE_ELSE_PRI_LOST_AFTER_SB("pri-lost-after-sb"),
        /** {@code pri-lost}: rr-conflict call-pri-lost refused to make this Primary the sync target. */
        PRI_LOST("pri-lost");

        private final String handlerName;

        Handler(String handlerName) {
            this.handlerName = handlerName;
        }

        /** The handler's name in drbd.conf (the command that may finally run). */
        public String handlerName() {
            return handlerName;
        }
    }
}

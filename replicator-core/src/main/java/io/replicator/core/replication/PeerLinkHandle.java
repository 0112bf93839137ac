package io.replicator.core.replication;

/** One configured connection's link, as its resource drives it. */
public interface PeerLinkHandle {
    /** Starts connecting (and reconnecting after drops) until {@link #stop}. */
    void start(boolean discardMyData);

    /** Disconnects gracefully (the peer is told) and stops connecting. Idempotent. */
    void stop();
}

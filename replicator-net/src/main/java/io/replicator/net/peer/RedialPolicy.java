package io.replicator.net.peer;

/**
 * When a dialing {@link PeerLink} dials again. After a failed attempt: {@code connect-int} later, DRBD's time between
 * two connection attempts. After a session ended: at once ({@link #QUICK_MS}), as DRBD goes back to Connecting and
 * connects again — a session's end is often deliberate (a handshake again to reconcile marks after the loss of a
 * Primary), and waiting connect-int (10 s by default) there held a failover up for as long. At most once per
 * connect-int, so that sessions that keep ending do not spin. Pure but for its memory of the last quick dial; one per
 * link, used on the link's event loop.
 */
final class RedialPolicy {
    /** How soon a node dials again after a session ended (once per connect-int). */
    static final long QUICK_MS = 50;

    private final long connectIntMs;
    /** When the last quick dial was granted (nanoseconds); none yet while {@link #quickGranted} is false. */
    private long lastQuick;
    private boolean quickGranted;

    RedialPolicy(long connectIntMs) {
        this.connectIntMs = connectIntMs;
    }

    /** Milliseconds until the next dial at {@code nowNanos}, after a session ended ({@code sessionEnded}) or not. */
    long delayMs(boolean sessionEnded, long nowNanos) {
        if (!sessionEnded || (quickGranted && nowNanos - lastQuick < connectIntMs * 1_000_000L)) {
            return connectIntMs;
        }
        quickGranted = true;
        lastQuick = nowNanos;
        return Math.min(QUICK_MS, connectIntMs);
    }
}

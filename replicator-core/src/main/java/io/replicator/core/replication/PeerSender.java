package io.replicator.core.replication;

/**
 * Sends to one connected peer. Thread-safe; calls are delivered in order per calling sequence (callers that need an
 * order across threads, like the {@link TransferLog}, call under their own lock). Never blocks.
 */
public interface PeerSender {
    /** Sends this node's view of one volume (connect-time exchange, or an update such as a new current UUID). */
    void sendReport(VolumeReport report);

    /**
     * Sends a write; {@code handedOver}, if not null, runs once it was written to the socket (protocol A's
     * condition).
     */
    void sendWrite(WriteRequest request, int dpFlags, Runnable handedOver);

    /** Sends a barrier closing {@code epoch}. */
    void sendBarrier(int epoch);

    /** Tells the peer the range changed without sending it (Ahead). */
    void sendOutOfSync(int volume, long offset, long length);

    /** Drops the connection (the link reconnects as usual). */
    void close(String reason);

    /** The peer's address, {@code IP:PORT}, for status. */
    String remoteAddress();

    /** The local address of the data connection, {@code IP:PORT}, for status. */
    String localAddress();
}

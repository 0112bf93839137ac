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

    /**
     * Sends this node's bitmap of {@code volume} toward the peer (run-length encoded, in chunks); the last chunk says
     * so. Reads the bitmap as it is while sending.
     */
    void sendBitmap(int volume, io.replicator.core.bitmap.DirtyBitmap bitmap);

    /** Sends a resync or verify message; data-stream kinds keep their order with the writes. */
    void sendSync(SyncMessage message);

    /** Sends resync data answering request {@code id}; takes over the caller's reference to {@code data}. */
    void sendResyncData(int volume, long offset, long id, io.netty.buffer.ByteBuf data);

    /** Drops the connection (the link reconnects as usual). */
    void close(String reason);

    /** The peer's address, {@code IP:PORT}, for status. */
    String remoteAddress();

    /** The local address of the data connection, {@code IP:PORT}, for status. */
    String localAddress();

    /**
     * For status: the round trip of the last keep-alive ping the peer answered on this connection; empty before the
     * first answer.
     */
    default java.util.OptionalLong pingRttNanos() {
        return java.util.OptionalLong.empty();
    }

    /**
     * For status ({@code unacked}): writes of {@code volume} received from the peer on this connection and not yet
     * acknowledged to it (queued for the disk, or being written).
     */
    default long unacked(int volume) {
        return 0;
    }
}

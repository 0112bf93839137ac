package io.replicator.core.replication;

/**
 * What a peer link tells its resource. {@link #connected}, {@link #disconnected} and {@link #refused} may be called
 * on a network thread and must not block; {@link #report} and {@link #replicaTarget} are called on the connection's
 * receive thread, in the order of the data stream; the ack methods go straight to the {@link TransferLog}.
 */
public interface PeerEvents {
    /** The connection is up and authenticated; {@code sender} reaches the peer until {@link #disconnected}. */
    void connected(PeerSender sender);

    /**
     * The peer reported a volume. Blocks until the resource has acted on it (the first reports decide whether the
     * connection replicates); later data frames are handled after it returns.
     */
    void report(VolumeReport report);

    /** Where the peer's writes go while this node replicates from it; empty while it does not (frames dropped). */
    java.util.Optional<ReplicaTarget> replicaTarget();

    /**
     * A chunk of the peer's bitmap of {@code volume} toward this node (connect-time exchange before a resync): OR it
     * into ours. On the receive thread; {@code rle} belongs to the caller.
     */
    void bitmapChunk(int volume, long fromBit, io.netty.buffer.ByteBuf rle, boolean last);

    /**
     * A resync or verify message from the peer: data-stream kinds on the receive thread, in order with the writes
     * (may block); control-stream kinds on a network thread (must not block).
     */
    void sync(SyncMessage message);

    /** Resync data the peer sent for request {@code id}; on the receive thread; {@code data} belongs to the caller. */
    void resyncData(int volume, long offset, long id, io.netty.buffer.ByteBuf data);

    /** {@code disk-flushes}: whether a barrier flushes the disk before it is acknowledged. */
    boolean diskFlushes();

    /**
     * Whether a replicated write of a few KiB normally completes in microseconds here (a page-cache write), so the
     * event loop may apply it itself; false when every write waits for the device ({@code durability dsync}).
     */
    default boolean writesAreQuick() {
        return true;
    }

    /**
     * The session that {@code session} reached ended; the link reconnects unless stopped. A newer session may already
     * have been reported {@link #connected}: the resource tells them apart by {@code session}, the sender it was given
     * for the one that ended.
     */
    void disconnected(PeerSender session, String reason);

    /** The link gave up for good (authentication, incompatible settings): StandAlone. */
    void refused(String reason);

    /** The transfer log the peer's acknowledgements go to. */
    TransferLog transferLog();

    /**
     * The session ended: the link calls this at once, before {@link #disconnected} (which comes after what the peer
     * sent before the end). It drops the peer from the {@link TransferLog}, so writers waiting only for its acks
     * finish — or, when the resource counts quorum, are held until it has counted the loss.
     */
    default void sessionEnding(int peerNodeId) {
        transferLog().peerLost(peerNodeId);
    }
}

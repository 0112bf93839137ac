package io.replicator.core.replication;

/**
 * Where the {@link TransferLog}'s actions go. The log calls these while holding its lock, in the order the peer must
 * see them, so implementations must not block and must preserve call order per peer (enqueueing on a Netty channel
 * does both). Peers are named by node id.
 */
public interface ReplicationOutbox {
    /** Send {@code request}'s data to {@code peer}, asking for the acknowledgement {@code dpAckFlag} implies. */
    void sendWrite(int peer, WriteRequest request, int dpFlags);

    /** Send a barrier closing {@code epoch} to {@code peer}. */
    void sendBarrier(int peer, int epoch);

    /** Tell {@code peer} that the range changed without sending the data (Ahead/Behind). */
    void sendOutOfSync(int peer, int volume, long offset, long length);

    /** Record in the local bitmap that the range differs on {@code peer}. */
    void markOutOfSync(int peer, int volume, long offset, long length);

    /** The log wants the connection to {@code peer} dropped (protocol violation, overdue acks, congestion). */
    void dropPeer(int peer, String reason);

    /** {@code peer} went Ahead (true) or came back (false); for state reporting. */
    default void aheadChanged(int peer, boolean ahead) {
    }
}

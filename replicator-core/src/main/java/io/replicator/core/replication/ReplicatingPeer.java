package io.replicator.core.replication;

/**
 * A peer the {@link TransferLog} sends writes to: its policy, the bytes it has not confirmed with a barrier ack, and
 * whether it is Ahead (congested: sent out-of-sync notices instead of writes). Guarded by the transfer log's lock.
 */
final class ReplicatingPeer {
    final PeerPolicy policy;
    long unackedBytes;
    boolean ahead;

    ReplicatingPeer(PeerPolicy policy) {
        this.policy = policy;
    }
}

package io.replicator.core.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * One epoch of the {@link TransferLog}: its writes and, per peer (bit n = node n), whether it was sent writes of it and
 * whether it acknowledged the epoch's barrier, and how many writes it was sent (the barrier ack's set size). Guarded
 * by the transfer log's lock.
 */
final class TransferEpoch {
    private static final int MAX_NODES = 32;

    final int number;
    final List<WriteRequest> requests = new ArrayList<>();
    final int[] setSize = new int[MAX_NODES];
    long sentTo;
    long acked;

    TransferEpoch(int number) {
        this.number = number;
    }

    /** Whether every peer it was sent to acknowledged its barrier. */
    boolean settled() {
        return (sentTo & ~acked) == 0;
    }
}

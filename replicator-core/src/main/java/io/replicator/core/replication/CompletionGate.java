package io.replicator.core.replication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the {@link TransferLog}'s writes that the protocol counts done may complete now: a Primary without quorum
 * holds them, or fails them ({@code on-no-quorum}). Guarded by the transfer log's lock; it only keeps the state, the
 * log completes the requests it hands back.
 */
final class CompletionGate {
    private boolean holding;
    /** While set, every write that would complete fails with it instead. */
    private IOException failing;
    /** Writes done by the protocol but held back from their client. */
    private final List<WriteRequest> held = new ArrayList<>();

    /** From now on, writes that would complete are held. */
    void hold() {
        holding = true;
    }

    /** Holds {@code request} if writes are held now; whether it did. */
    boolean hold(WriteRequest request) {
        if (!holding) {
            return false;
        }
        if (!held.contains(request)) {
            held.add(request);
        }
        return true;
    }

    /** The failure every completing write takes now, or null. */
    IOException failure() {
        return failing;
    }

    /** From now on writes fail with {@code failure}; returns {@code pending} to progress (they fail now). */
    List<WriteRequest> fail(IOException failure, List<WriteRequest> pending) {
        holding = false;
        failing = failure;
        held.clear();
        return new ArrayList<>(pending);
    }

    /** Writes complete normally again. */
    void open() {
        holding = false;
        failing = null;
    }

    /** Stops holding unless writes fail; returns the held writes to progress (they complete). */
    List<WriteRequest> release() {
        if (failing != null) {
            return List.of();
        }
        holding = false;
        List<WriteRequest> released = new ArrayList<>(held);
        held.clear();
        return released;
    }

    /** Whether writes are held or failed. */
    boolean suspended() {
        return holding || failing != null;
    }
}

package io.replicator.core.generation;

import java.util.Objects;

/**
 * One side's contribution to the connect-time comparison: its generation ids as seen for this connection, and the
 * flags it sends with them.
 *
 * <p>{@code --discard-my-data} is deliberately absent: it is applied after the comparison, by the split-brain step.
 *
 * @param ids the node's generation ids
 * @param peerSlot the node's slot for the other side of this connection; {@code ids.bitmap(peerSlot)} is "its bitmap
 *     id for this peer", every other slot is "its bitmap ids for other nodes"
 * @param primary the node is Primary now
 * @param crashedPrimary the node crashed (or lost its peers) while Primary and has not resynced since
 *     (UUID_FLAG_CRASHED_PRIMARY)
 * @param reconnect the node was connected to this peer until a link failure, rather than restarted
 *     (UUID_FLAG_RECONNECT)
 * @param lostQuorumAsPrimary the node lost quorum while Primary (UUID_FLAG_PRIMARY_LOST_QUORUM)
 * @param resolveConflicts the node holds RESOLVE_CONFLICTS for this connection; the two sides hold it oppositely,
 *     and it breaks ties that nothing else decides
 */
public record SyncInput(
        GenerationIds ids,
        int peerSlot,
        boolean primary,
        boolean crashedPrimary,
        boolean reconnect,
        boolean lostQuorumAsPrimary,
        boolean resolveConflicts) {

    public SyncInput {
        Objects.requireNonNull(ids, "ids");
        if (peerSlot < 0 || peerSlot >= ids.peerSlots()) {
            throw new IllegalArgumentException("peer slot out of range [0, " + ids.peerSlots() + "): " + peerSlot);
        }
    }

    /** A Secondary with no flags set and without RESOLVE_CONFLICTS. */
    public static SyncInput of(GenerationIds ids, int peerSlot) {
        return new SyncInput(ids, peerSlot, false, false, false, false, false);
    }

    /** This input with {@link #primary()} replaced. */
    public SyncInput withPrimary(boolean value) {
        return new SyncInput(ids, peerSlot, value, crashedPrimary, reconnect, lostQuorumAsPrimary, resolveConflicts);
    }

    /** This input with {@link #crashedPrimary()} replaced. */
    public SyncInput withCrashedPrimary(boolean value) {
        return new SyncInput(ids, peerSlot, primary, value, reconnect, lostQuorumAsPrimary, resolveConflicts);
    }

    /** This input with {@link #reconnect()} replaced. */
    public SyncInput withReconnect(boolean value) {
        return new SyncInput(ids, peerSlot, primary, crashedPrimary, value, lostQuorumAsPrimary, resolveConflicts);
    }

    /** This input with {@link #lostQuorumAsPrimary()} replaced. */
    public SyncInput withLostQuorumAsPrimary(boolean value) {
        return new SyncInput(ids, peerSlot, primary, crashedPrimary, reconnect, value, resolveConflicts);
    }

    /** This input with {@link #resolveConflicts()} replaced. */
    public SyncInput withResolveConflicts(boolean value) {
        return new SyncInput(ids, peerSlot, primary, crashedPrimary, reconnect, lostQuorumAsPrimary, value);
    }

    /** The current id, masked. */
    long current() {
        return GenerationIds.mask(ids.current());
    }

    /** The bitmap id for the peer of this connection, masked; 0 if empty. */
    long bitmapForPeer() {
        return GenerationIds.mask(ids.bitmap(peerSlot));
    }

    /** History id {@code index}, masked; 0 if none. */
    long history(int index) {
        return GenerationIds.mask(ids.history(index));
    }

    /** Whether the masked {@code id} is a bitmap id for a node other than this connection's peer. */
    boolean otherBitmapsContain(long id) {
        for (int slot = 0; slot < ids.peerSlots(); slot++) {
            if (slot != peerSlot && GenerationIds.mask(ids.bitmap(slot)) == id) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this node was Primary when it split from the peer: bit 0 of its bitmap id for the peer, which
     * {@link GenerationIds#newCurrent} copies from the current id (drbd.md §5). For the split-brain policies.
     */
    public boolean wasPrimaryAtSplit() {
        return (ids.bitmap(peerSlot) & GenerationIds.UUID_PRIMARY) != 0;
    }
}

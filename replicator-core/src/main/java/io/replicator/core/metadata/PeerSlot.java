package io.replicator.core.metadata;

/**
 * What the metadata remembers about one peer slot.
 *
 * @param nodeId     the node id of the peer that owns the slot, or {@link #UNASSIGNED}
 * @param bitmapUuid the bitmap generation id toward that peer (0 = no bitmap generation open)
 * @param flags      {@link PeerFlag} bits
 */
public record PeerSlot(int nodeId, long bitmapUuid, int flags) {
    /** Node id of a slot that belongs to no peer yet. */
    public static final int UNASSIGNED = -1;

    /** An unused slot. */
    public static final PeerSlot EMPTY = new PeerSlot(UNASSIGNED, 0, 0);

    /** This slot with {@code bitmapUuid} replaced. */
    public PeerSlot withBitmapUuid(long uuid) {
        return new PeerSlot(nodeId, uuid, flags);
    }

    /** This slot with {@code flags} replaced. */
    public PeerSlot withFlags(int newFlags) {
        return new PeerSlot(nodeId, bitmapUuid, newFlags);
    }
}

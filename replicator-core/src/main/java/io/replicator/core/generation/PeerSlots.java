package io.replicator.core.generation;

/**
 * A set of peer slot indices, {@code 0 <= slot < GenerationIds.MAX_PEERS}, held as one bit per slot.
 *
 * <p>Used to name the slots whose peers are unreachable (or "weak") when a generation rotates: only those slots
 * receive the old current id.
 *
 * @param mask bit {@code i} is set iff slot {@code i} is a member
 */
public record PeerSlots(int mask) {
    private static final PeerSlots NONE = new PeerSlots(0);

    /** The empty set. */
    public static PeerSlots none() {
        return NONE;
    }

    /** The set of the given slots; each must be in {@code [0, MAX_PEERS)}. */
    public static PeerSlots of(int... slots) {
        int mask = 0;
        for (int slot : slots) {
            checkSlot(slot);
            mask |= 1 << slot;
        }
        return new PeerSlots(mask);
    }

    /** Whether {@code slot} is a member. */
    public boolean contains(int slot) {
        checkSlot(slot);
        return (mask & (1 << slot)) != 0;
    }

    static void checkSlot(int slot) {
        if (slot < 0 || slot >= GenerationIds.MAX_PEERS) {
            throw new IllegalArgumentException("peer slot out of range [0, " + GenerationIds.MAX_PEERS + "): " + slot);
        }
    }
}

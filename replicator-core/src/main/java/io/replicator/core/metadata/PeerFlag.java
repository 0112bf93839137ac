package io.replicator.core.metadata;

/** Per-peer-slot metadata flags, with DRBD's bit values (MDF_PEER_* and MDF_NODE_EXISTS). */
public enum PeerFlag implements BitFlag {
    /** The peer was connected when the flags were last written. */
    CONNECTED(1),
    /** The peer's data is known to be Outdated. */
    OUTDATED(2),
    /** Fencing was configured for this peer. */
    FENCING(4),
    /** A full sync towards this peer is pending. */
    FULL_SYNC(8),
    /** The peer's disk has been seen at least once. */
    DEVICE_SEEN(16),
    /** The slot is assigned to a configured node. */
    NODE_EXISTS(1 << 16),
    /**
     * Ours: the peer was told of this node's unclean restart ({@code UNCLEAN_RESTART}) at a handshake, or its copy was
     * resynced from here since; kept on disk so that a crash of the process does not make the restart news again.
     */
    TOLD_UNCLEAN(1 << 17);

    private final int mask;

    PeerFlag(int mask) {
        this.mask = mask;
    }

    @Override
    public int mask() {
        return mask;
    }

    /** Names of the flags set in {@code flags}, joined by {@code |}; "none" when empty. */
    public static String describe(int flags) {
        return BitFlag.describe(flags, values());
    }
}

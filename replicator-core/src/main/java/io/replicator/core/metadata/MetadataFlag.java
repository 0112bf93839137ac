package io.replicator.core.metadata;

/**
 * Node-wide metadata flags, with DRBD's bit values (drbd_meta_data.h, MDF_*) so that dumps read alike.
 */
public enum MetadataFlag implements BitFlag {
    /** The data is consistent: it is a state the volume passed through, not a resync target mid-way. */
    CONSISTENT(1),
    /** Set while this node is Primary; still set at attach means the node crashed as Primary. */
    PRIMARY_IND(2),
    /** A peer was connected when the flags were last written. */
    CONNECTED_IND(4),
    /** A full sync was requested and has not finished. */
    FULL_SYNC(8),
    /** The data was UpToDate when the flags were last written. */
    WAS_UP_TO_DATE(16),
    /** The peer is known to be Outdated. */
    PEER_OUT_DATED(32),
    /** This node crashed while Primary; the activity log bounds what may differ. */
    CRASHED_PRIMARY(64),
    /** The activity log was cleanly shut down: every bit it covered is on disk, no replay needed. */
    AL_CLEAN(128),
    /** Activity-log updates are off ({@code al-updates no}): a primary crash means a full sync. */
    AL_DISABLED(256),
    /** This node lost quorum while Primary. */
    PRIMARY_LOST_QUORUM(512),
    /** This node had quorum when the flags were last written. */
    HAVE_QUORUM(1024),
    /** The data is Outdated: a newer generation exists elsewhere. */
    OUTDATED(1 << 16),
    /**
     * Ours, not DRBD's: the node restarted without a clean shutdown (whatever its role) and has not completed a
     * handshake since, so writes it acknowledged but had not flushed may be gone from its disk.
     */
    UNCLEAN_RESTART(1 << 17),
    /**
     * Ours, not DRBD's: this node completed a write since its last promotion (with quorum on, only a write a majority
     * held). Cleared at every promotion. Of two sides of a split brain that both lost quorum as Primary, the one whose
     * time as Primary produced acknowledged writes is kept.
     */
    ACKED_AS_PRIMARY(1 << 18),
    /**
     * Ours, not DRBD's: the data is Inconsistent and holds some writes of its current generation, taken from a
     * Primary ({@code GenerationIds.followingPrimary}): its ids are ahead of nodes without them, so it is made no
     * one's sync target by its disk state alone (a split brain or older data would take it over, and quorum with it).
     * Cleared when the data is UpToDate again.
     */
    FOLLOWS_PRIMARY(1 << 19);

    private final int mask;

    MetadataFlag(int mask) {
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

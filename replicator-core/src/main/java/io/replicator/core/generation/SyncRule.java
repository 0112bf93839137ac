package io.replicator.core.generation;

import java.util.OptionalInt;

/**
 * The rule of the connect-time comparison that produced a {@link SyncDecision}, named as in DRBD 9's
 * {@code sync_rule_names}, with the equivalent 8.4 {@code drbd_uuid_compare} rule number where one exists.
 *
 * <p>Constants are listed in the order {@link SyncDecider} tries them. Every rule has a {@link #mirror()}: the rule
 * the peer reports for the same pair of nodes seen from its side.
 */
public enum SyncRule {
    /** Both current ids are JUST_CREATED (or 0): nothing to sync. */
    JUST_CREATED_BOTH("just-created-both", 10),
    /** Only this node's current id is JUST_CREATED (or 0): full sync from the peer. */
    JUST_CREATED_SELF("just-created-self", 20),
    /** Only the peer's current id is JUST_CREATED (or 0): full sync to the peer. */
    JUST_CREATED_PEER("just-created-peer", 30),
    /** Equal currents; this node was source and missed the resync-finished event, and corrects itself. */
    SYNC_SOURCE_MISSED_FINISH("sync-source-missed-finish", 34),
    /** Equal currents; this node was target and the source missed the finish (the 34 case seen from the target). */
    SYNC_TARGET_PEER_MISSED_FINISH("sync-target-peer-missed-finish", 35),
    /** Equal currents; this node was source and the target failed to record the sync id. */
    SYNC_SOURCE_PEER_MISSED_FINISH("sync-source-peer-missed-finish", 36),
    /** Equal currents; this node was target and failed to record the sync id (the 36 case seen from the target). */
    SYNC_TARGET_MISSED_FINISH("sync-target-missed-finish", 37),
    /** Equal currents and both sides carry the reconnect flag: a link blip, nothing to sync. No 8.4 equivalent. */
    RECONNECTED("reconnected", -1),
    /** Equal currents, someone crashed as Primary and someone is Primary now (8.4 rule 41). */
    CRASHED_PRIMARY("crashed-primary", 41),
    /** Equal currents and a side lost quorum while Primary. No 8.4 equivalent. */
    LOST_QUORUM("lost-quorum", -1),
    /** Equal currents, both Secondary now: common power failure or no change at all (8.4 rule 40). */
    BOTH_OFF("both-off", 40),
    /**
     * Equal currents and no other rule calls for a resync, but blocks are marked out of sync between the two (writes
     * that were in flight when the link went, or a generation that was never rotated): a bitmap resync from the side
     * that holds the data in use, chosen by {@link HandshakeDecider}, never a silent no-sync (drbd.md §4: DRBD 9's
     * {@code maybe_reconcile_equal_uuid_bitmap} resyncs leftover bits instead of dropping them). No 8.4 equivalent.
     */
    MARKED_BLOCKS("marked-blocks", -1),
    /**
     * Equal currents and both sides replicate, UpToDate, from a Primary that is neither of them: both hold its data,
     * whatever their bitmap ids for each other say; nothing to sync (a resync either way would change one under the
     * Primary's writes). Decided by {@link HandshakeDecider}. No 8.4 equivalent.
     */
    SAME_PRIMARY("same-primary", -1),
    /** This node's current is the peer's bitmap id for it: bitmap-based resync from the peer. */
    BITMAP_PEER("bitmap-peer", 50),
    /** This node's current is one of the peer's bitmap ids for another node. No 8.4 equivalent. */
    BITMAP_PEER_OTHER("bitmap-peer-other", -1),
    /** The peer's P_SYNC_UUID never reached this node, detected on the target side and undone. */
    SYNC_TARGET_MISSED_START("sync-target-missed-start", 51),
    /** This node's bitmap id for the peer is the peer's current: bitmap-based resync to the peer. */
    BITMAP_SELF("bitmap-self", 70),
    /** The peer's current is one of this node's bitmap ids for another node. No 8.4 equivalent. */
    BITMAP_SELF_OTHER("bitmap-self-other", -1),
    /** This node's P_SYNC_UUID never reached the peer, detected on the source side and undone. */
    SYNC_SOURCE_MISSED_START("sync-source-missed-start", 71),
    /** This node's current is in the peer's history and not vice versa: full sync from the peer. */
    HISTORY_PEER("history-peer", 60),
    /** The peer's current is in this node's history and not vice versa: full sync to the peer. */
    HISTORY_SELF("history-self", 80),
    /** Both bitmap ids for each other are equal and non-empty: split brain, auto-recoverable. */
    BITMAP_BOTH("bitmap-both", 90),
    /** The histories share an id: split brain, disconnect. */
    HISTORY_BOTH("history-both", 100),
    /**
     * Nothing relates the two sets. DRBD 9 reports this under the last rule it tried (history-both) and 8.4 under
     * rule 100; we name it so that the log says why the connection was dropped.
     */
    UNRELATED_DATA("unrelated-data", -1);

    private final String drbdName;
    private final int drbd84Rule;

    SyncRule(String drbdName, int drbd84Rule) {
        this.drbdName = drbdName;
        this.drbd84Rule = drbd84Rule;
    }

    /** The DRBD 9 name, as printed in {@code by rule=<name>}. */
    public String drbdName() {
        return drbdName;
    }

    /** The 8.4 {@code drbd_uuid_compare} rule number, empty where 8.4 has no such rule. */
    public OptionalInt drbd84Rule() {
        return drbd84Rule < 0 ? OptionalInt.empty() : OptionalInt.of(drbd84Rule);
    }

    /** The rule the peer reports when it compares the same two id sets from its side. */
    public SyncRule mirror() {
        return switch (this) {
            case JUST_CREATED_SELF -> JUST_CREATED_PEER;
            case JUST_CREATED_PEER -> JUST_CREATED_SELF;
            case SYNC_SOURCE_MISSED_FINISH -> SYNC_TARGET_PEER_MISSED_FINISH;
            case SYNC_TARGET_PEER_MISSED_FINISH -> SYNC_SOURCE_MISSED_FINISH;
            case SYNC_SOURCE_PEER_MISSED_FINISH -> SYNC_TARGET_MISSED_FINISH;
            case SYNC_TARGET_MISSED_FINISH -> SYNC_SOURCE_PEER_MISSED_FINISH;
            case BITMAP_PEER -> BITMAP_SELF;
            case BITMAP_SELF -> BITMAP_PEER;
            case BITMAP_PEER_OTHER -> BITMAP_SELF_OTHER;
            case BITMAP_SELF_OTHER -> BITMAP_PEER_OTHER;
            case SYNC_TARGET_MISSED_START -> SYNC_SOURCE_MISSED_START;
            case SYNC_SOURCE_MISSED_START -> SYNC_TARGET_MISSED_START;
            case HISTORY_PEER -> HISTORY_SELF;
            case HISTORY_SELF -> HISTORY_PEER;
            case JUST_CREATED_BOTH, RECONNECTED, CRASHED_PRIMARY, LOST_QUORUM, BOTH_OFF, MARKED_BLOCKS, SAME_PRIMARY,
                 BITMAP_BOTH,
                 HISTORY_BOTH,
                 UNRELATED_DATA -> this;
        };
    }

    /**
     * Whether the rule guesses that one side missed the end of a resync (8.4 rules 34–37): the currents are equal and
     * the bitmap and history ids only suggest who was the source.
     */
    public boolean missedFinish() {
        return this == SYNC_SOURCE_MISSED_FINISH || this == SYNC_TARGET_PEER_MISSED_FINISH
            || this == SYNC_SOURCE_PEER_MISSED_FINISH || this == SYNC_TARGET_MISSED_FINISH;
    }
}

package io.replicator.core.state;

import java.util.Set;

/**
 * The replication state of one volume toward one peer (DRBD 9 "repl state"; drbd.md §7, §8). Suffix S means this
 * node is the source of the data, T the target.
 *
 * <pre>
 *          connect             invalidate-remote / invalidate
 *   Off ------------> Established ------> StartingSyncS/T
 *    |  (handshake     |   |   |   \               |
 *    |   needs resync) |   |   |    +--> WFBitMapS/T &lt;---+
 *    +-----------------|---|---|-------> WFBitMapS ------> SyncSource &lt;--> PausedSyncS
 *    +-----------------|---|---|-------> WFBitMapT ------> WFSyncUUID ---> SyncTarget &lt;--> PausedSyncT
 *                      |   |   |                          (WFSyncUUID may also pause first)
 *       verify         |   |   |  congestion (on-congestion pull-ahead)
 *   VerifyS/T &lt;-------+   |   +--> Ahead ---> SyncSource      Behind ---> SyncTarget
 *                          |
 *   Established &lt;---- SyncSource | SyncTarget | VerifyS/T (done or stopped)
 *   Off &lt;------------- any state (the connection is lost)
 * </pre>
 */
public enum ReplicationState {
    /** Not connected to the peer: nothing is replicated. */
    OFF("Off"),
    /** Connected and in sync as far as known: writes are replicated. */
    ESTABLISHED("Established"),
    /** A full resync with this node as source was requested ({@code invalidate-remote}). */
    STARTING_SYNC_S("StartingSyncS"),
    /** A full resync with this node as target was requested ({@code invalidate}). */
    STARTING_SYNC_T("StartingSyncT"),
    /** Resync source, exchanging bitmaps with the target. */
    WF_BIT_MAP_S("WFBitMapS"),
    /** Resync target, exchanging bitmaps with the source. */
    WF_BIT_MAP_T("WFBitMapT"),
    /** Resync target, waiting for the source's new sync UUID. */
    WF_SYNC_UUID("WFSyncUUID"),
    /** Sending out-of-sync blocks to the peer. */
    SYNC_SOURCE("SyncSource"),
    /** Receiving out-of-sync blocks from the peer. */
    SYNC_TARGET("SyncTarget"),
    /** Online verify, this node requesting the comparison. */
    VERIFY_S("VerifyS"),
    /** Online verify, this node answering the comparison. */
    VERIFY_T("VerifyT"),
    /** Resync source, paused (user, peer, dependency or max-parallel). */
    PAUSED_SYNC_S("PausedSyncS"),
    /** Resync target, paused (user, peer, dependency or max-parallel). */
    PAUSED_SYNC_T("PausedSyncT"),
    /** Congested: writes are only marked out of sync for the peer, not sent. */
    AHEAD("Ahead"),
    /** The peer is Ahead: this node is falling behind and will be resync target. */
    BEHIND("Behind");

    private static final DrbdSpelling<ReplicationState> SPELLING =
        new DrbdSpelling<>("replication state", values(), ReplicationState::drbdName);
    private static final TransitionTable<ReplicationState> TRANSITIONS =
        TransitionTable.builder(ReplicationState.class)
            .allowFromAll(OFF)
            .allow(ESTABLISHED, OFF, SYNC_SOURCE, SYNC_TARGET, VERIFY_S, VERIFY_T)
            .allow(STARTING_SYNC_S, ESTABLISHED)
            .allow(STARTING_SYNC_T, ESTABLISHED)
            .allow(WF_BIT_MAP_S, OFF, ESTABLISHED, STARTING_SYNC_S)
            .allow(WF_BIT_MAP_T, OFF, ESTABLISHED, STARTING_SYNC_T)
            .allow(WF_SYNC_UUID, WF_BIT_MAP_T)
            .allow(SYNC_SOURCE, WF_BIT_MAP_S, PAUSED_SYNC_S, AHEAD)
            .allow(SYNC_TARGET, WF_SYNC_UUID, PAUSED_SYNC_T, BEHIND)
            .allow(VERIFY_S, ESTABLISHED)
            .allow(VERIFY_T, ESTABLISHED)
            .allow(PAUSED_SYNC_S, WF_BIT_MAP_S, SYNC_SOURCE)
            .allow(PAUSED_SYNC_T, WF_SYNC_UUID, SYNC_TARGET)
            .allow(AHEAD, ESTABLISHED)
            .allow(BEHIND, ESTABLISHED)
            .build();

    private final String drbdName;

    ReplicationState(String drbdName) {
        this.drbdName = drbdName;
    }

    /** The name DRBD prints, e.g. {@code SyncSource}. */
    public String drbdName() {
        return drbdName;
    }

    /** The replication state spelled {@code name} as DRBD prints it; throws {@link IllegalArgumentException} if none. */
    public static ReplicationState parse(String name) {
        return SPELLING.parse(name);
    }

    /** Whether a resync is running or paused (the states in which {@code done:} and the sync details apply). */
    public boolean isSyncing() {
        return switch (this) {
            case SYNC_SOURCE, SYNC_TARGET, PAUSED_SYNC_S, PAUSED_SYNC_T -> true;
            default -> false;
        };
    }

    /** Whether an online verify is running. */
    public boolean isVerifying() {
        return this == VERIFY_S || this == VERIFY_T;
    }

    /** Whether a resync is paused. */
    public boolean isPaused() {
        return this == PAUSED_SYNC_S || this == PAUSED_SYNC_T;
    }

    /** Whether a state may change from {@code from} to {@code to}; staying in a state is not a transition. */
    public static boolean isValid(ReplicationState from, ReplicationState to) {
        return TRANSITIONS.isValid(from, to);
    }

    /** The states from which this one may be entered. */
    public Set<ReplicationState> predecessors() {
        return TRANSITIONS.predecessors(this);
    }
}

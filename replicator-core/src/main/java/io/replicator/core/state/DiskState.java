package io.replicator.core.state;

import java.util.Set;

/**
 * The state of a volume's data, on this node or as seen of a peer, in DRBD's order: a later constant is better, so
 * {@code disk.isAtLeast(CONSISTENT)} asks for data that is at least consistent (drbd.md §8).
 *
 * <pre>
 *              attach                    read metadata
 *   Diskless --------> Attaching --+----------------------> Inconsistent | Outdated | Consistent | UpToDate
 *      ^                  |        |  (connected)                ^   |             resync, outdate,
 *      |                  |        +--> Negotiating -------------+   |             invalidate, primary --force
 *      |                  v                  |                       v
 *      +---------------- Failed &lt;-----------+-------- any state with a disk (I/O error)
 *      |                                                             |
 *      +---------------- Detaching &lt;--------------------------------+ (detach)
 *
 *   DUnknown &lt;---> any other state        (a peer's disk, when the connection drops or comes back)
 * </pre>
 *
 * <p>Among the attached states: Inconsistent becomes Consistent or UpToDate when a resync finishes (or with
 * {@code primary --force}); Consistent becomes UpToDate, Outdated or Inconsistent once the peers are known;
 * Outdated becomes UpToDate when a connect finds nothing newer, or Inconsistent when it becomes sync target;
 * UpToDate becomes Outdated (fencing, {@code outdate}, a graceful disconnect from a Primary) or Inconsistent
 * ({@code invalidate}, sync target). Inconsistent cannot be Outdated ("Disk state is lower than outdated").
 */
public enum DiskState {
    /** No backing disk: detached, never attached, or a diskless client. */
    DISKLESS("Diskless"),
    /** Reading the metadata of a disk being attached. */
    ATTACHING("Attaching"),
    /** Finishing I/O before the disk is released (9 only). */
    DETACHING("Detaching"),
    /** An I/O error; becomes Diskless once the peers have been told. */
    FAILED("Failed"),
    /** Attaching while connected: waiting for the peers to decide the disk's state. */
    NEGOTIATING("Negotiating"),
    /** Some blocks are invalid: a resync target, or never synced. */
    INCONSISTENT("Inconsistent"),
    /** Consistent, but known to be older than a peer's data. */
    OUTDATED("Outdated"),
    /** A peer's disk whose state is not known, because the peer is not connected. */
    DUNKNOWN("DUnknown"),
    /** Consistent, but not known whether UpToDate or Outdated (attached, never connected). */
    CONSISTENT("Consistent"),
    /** Consistent and the newest data. */
    UP_TO_DATE("UpToDate");

    private static final DrbdSpelling<DiskState> SPELLING =
        new DrbdSpelling<>("disk state", values(), DiskState::drbdName);
    private static final TransitionTable<DiskState> TRANSITIONS = TransitionTable.builder(DiskState.class)
        .allow(DISKLESS, ATTACHING, NEGOTIATING, DETACHING, FAILED, DUNKNOWN)
        .allow(ATTACHING, DISKLESS, DUNKNOWN)
        .allow(DETACHING, INCONSISTENT, OUTDATED, CONSISTENT, UP_TO_DATE, DUNKNOWN)
        .allow(FAILED, ATTACHING, NEGOTIATING, DETACHING, INCONSISTENT, OUTDATED, CONSISTENT, UP_TO_DATE, DUNKNOWN)
        .allow(NEGOTIATING, ATTACHING, DUNKNOWN)
        .allow(INCONSISTENT, ATTACHING, NEGOTIATING, OUTDATED, CONSISTENT, UP_TO_DATE, DUNKNOWN)
        // From Inconsistent: the end of a resync from an Outdated source (`outdate` still refuses Inconsistent data).
        .allow(OUTDATED, ATTACHING, NEGOTIATING, INCONSISTENT, CONSISTENT, UP_TO_DATE, DUNKNOWN)
        .allowFromAll(DUNKNOWN)
        .allow(CONSISTENT, ATTACHING, NEGOTIATING, INCONSISTENT, DUNKNOWN)
        .allow(UP_TO_DATE, ATTACHING, NEGOTIATING, INCONSISTENT, OUTDATED, CONSISTENT, DUNKNOWN)
        .build();

    private final String drbdName;

    DiskState(String drbdName) {
        this.drbdName = drbdName;
    }

    /** The name DRBD prints, e.g. {@code UpToDate}. */
    public String drbdName() {
        return drbdName;
    }

    /** The disk state spelled {@code name} as DRBD prints it; throws {@link IllegalArgumentException} if none. */
    public static DiskState parse(String name) {
        return SPELLING.parse(name);
    }

    /** Whether this state is {@code other} or better in DRBD's order. */
    public boolean isAtLeast(DiskState other) {
        return compareTo(other) >= 0;
    }

    /**
     * Whether a disk may change from {@code from} to {@code to}. Edges to and from DUnknown are those of a peer's
     * disk as seen from here; staying in a state is not a transition.
     */
    public static boolean isValid(DiskState from, DiskState to) {
        return TRANSITIONS.isValid(from, to);
    }

    /** The states from which this one may be entered. */
    public Set<DiskState> predecessors() {
        return TRANSITIONS.predecessors(this);
    }
}

package io.replicator.core.generation;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The immutable generation-identifier set of one node, as DRBD 9 keeps it in its metadata: one current id, one
 * bitmap id per peer slot and {@value #HISTORY_SIZE} history ids, newest first.
 *
 * <p>Every transition returns a new instance; randomness is injected so that the transitions stay pure.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Ids are unsigned 64-bit values. Bit 0 ({@link #UUID_PRIMARY}) of the current id says "the node was Primary
 *       when this id was set"; it is masked off in every comparison ({@link #mask}). A bitmap id keeps that bit
 *       because the split-brain policies read "was Primary at the split" from it (drbd.md §5).</li>
 *   <li>A bitmap id of 0 is an empty slot: the peer in that slot has seen everything up to the current id.
 *       A non-empty bitmap id is the generation at which this node started recording changes for that peer.</li>
 *   <li>History holds at most {@value #HISTORY_SIZE} ids, newest first, stored with bit 0 cleared; it never holds
 *       0 or {@link #UUID_JUST_CREATED}, and never the same id twice in a row. Empty entries (0) are only at the
 *       tail.</li>
 *   <li>A current id drawn by a transition is never 0 or {@link #UUID_JUST_CREATED} (after masking) and never
 *       equal to the id it replaces.</li>
 * </ul>
 */
public final class GenerationIds {
    /** Bit 0 of the current id: set while the node is Primary. */
    public static final long UUID_PRIMARY = 1L;
    /** The current id of freshly created metadata. */
    public static final long UUID_JUST_CREATED = 4L;
    /** Added to a bitmap id when a resync starts, so that the start is recognisable (8.4 rules 51 and 71). */
    public static final long UUID_NEW_BM_OFFSET = 1L << 48;
    /** Upper bound on peer slots per node (DRBD_PEERS_MAX). */
    public static final int MAX_PEERS = 32;
    /** Number of history ids kept (HISTORY_UUIDS). */
    public static final int HISTORY_SIZE = 32;

    private final long current;
    private final long[] bitmaps;
    private final long[] history;

    private GenerationIds(long current, long[] bitmaps, long[] history) {
        this.current = current;
        this.bitmaps = bitmaps;
        this.history = history;
    }

    /**
     * Ids of freshly created metadata: current is {@link #UUID_JUST_CREATED}, every bitmap slot and the history
     * empty.
     *
     * @param maxPeers number of peer slots, {@code 1..MAX_PEERS}
     */
    public static GenerationIds justCreated(int maxPeers) {
        checkPeerCount(maxPeers);
        return new GenerationIds(UUID_JUST_CREATED, new long[maxPeers], new long[HISTORY_SIZE]);
    }

    /**
     * Ids as read back from metadata (or built by a test). The arrays are copied. History entries that are 0 are
     * dropped and the remaining ones are stored newest first with bit 0 cleared; at most {@value #HISTORY_SIZE}.
     *
     * @param current the current id, primary bit included
     * @param bitmaps one bitmap id per peer slot, {@code 1..MAX_PEERS} of them
     * @param history history ids, newest first
     */
    public static GenerationIds of(long current, long[] bitmaps, long... history) {
        checkPeerCount(bitmaps.length);
        if (history.length > HISTORY_SIZE) {
            throw new IllegalArgumentException("at most " + HISTORY_SIZE + " history ids, got " + history.length);
        }
        long[] compacted = new long[HISTORY_SIZE];
        int n = 0;
        for (long id : history) {
            if (mask(id) != 0) {
                compacted[n++] = mask(id);
            }
        }
        return new GenerationIds(current, bitmaps.clone(), compacted);
    }

    /** {@code id} with the primary bit cleared: the form used in every comparison. */
    public static long mask(long id) {
        return id & ~UUID_PRIMARY;
    }

    /** The current id, primary bit included. */
    public long current() {
        return current;
    }

    /** Whether bit 0 of the current id is set. */
    public boolean primaryBit() {
        return (current & UUID_PRIMARY) != 0;
    }

    /** Number of peer slots. */
    public int peerSlots() {
        return bitmaps.length;
    }

    /** The bitmap id of {@code slot}, primary bit included; 0 if the slot is empty. */
    public long bitmap(int slot) {
        checkSlot(slot);
        return bitmaps[slot];
    }

    /** A copy of all bitmap ids, indexed by slot. */
    /**
     * Whether {@code other} holds the same ids, ignoring the Primary bit: current, every bitmap id and the history.
     * Two sides of a handshake must decide from the same ids.
     */
    public boolean sameIds(GenerationIds other) {
        if (mask(current) != mask(other.current) || bitmaps.length != other.bitmaps.length
            || history.length != other.history.length) {
            return false;
        }
        for (int i = 0; i < bitmaps.length; i++) {
            if (mask(bitmaps[i]) != mask(other.bitmaps[i])) {
                return false;
            }
        }
        for (int i = 0; i < history.length; i++) {
            if (mask(history[i]) != mask(other.history[i])) {
                return false;
            }
        }
        return true;
    }

    public long[] bitmaps() {
        return bitmaps.clone();
    }

    /** History id {@code index} (0 is the newest); 0 if there is none. */
    public long history(int index) {
        return history[index];
    }

    /** A copy of the {@value #HISTORY_SIZE} history ids, newest first, empty entries 0. */
    public long[] history() {
        return history.clone();
    }

    /** Whether the masked {@code id} is among the history ids; 0 is never found. */
    public boolean historyContains(long id) {
        long masked = mask(id);
        if (masked == 0) {
            return false;
        }
        for (long h : history) {
            if (h == masked) {
                return true;
            }
        }
        return false;
    }

    /**
     * A new data generation.
     *
     * <p>DRBD 9 {@code drbd_uuid_new_current} with {@code rotate_current_into_bitmap}: the old current id is copied
     * into the bitmap slot of every peer in {@code slotsToRotate} (the unreachable or "weak" ones) whose slot is
     * empty or already holds that id; a slot holding an older id keeps it, because its peer has been away since that
     * older generation and the bitmap must keep covering everything since then. The 8.4 rule "if Bitmap = 0,
     * Bitmap &lt;- Current" is the single-peer case. If no slot took the old current it goes to history, so no
     * generation is forgotten. The new current is random, with bit 0 set iff {@code primary}.
     */
    public GenerationIds newCurrent(RandomGenerator random, boolean primary, PeerSlots slotsToRotate) {
        return newCurrentFromFollowed(random, primary, current, slotsToRotate);
    }

    /**
     * A new current id for data forced up while it followed a Primary's generation ({@link #followingPrimary}), taken
     * over from {@code heldInFull}, the generation it held before: the followed one is held in part only, so it goes
     * neither into a peer's slot nor into history — kept, a node holding the whole of it, and writes of its own on
     * top, would look like an ancestor of this data and be overwritten without a split brain (simulation seed
     * -4534909588574701163). {@code heldInFull} goes where {@link #newCurrent} puts the old current ({@link
     * #newCurrent} is this with the current id as {@code heldInFull}).
     */
    public GenerationIds newCurrentFromFollowed(RandomGenerator random, boolean primary, long heldInFull,
                                                PeerSlots slotsToRotate) {
        Objects.requireNonNull(random, "random");
        long[] nextBitmaps = bitmaps.clone();
        boolean rotated = rotateInto(nextBitmaps, heldInFull, slotsToRotate);
        long[] nextHistory = rotated ? history : pushed(history, heldInFull);
        return new GenerationIds(freshId(random, primary, current), nextBitmaps, nextHistory);
    }

    /**
     * Sets or clears bit 0 of the current id without starting a generation: promotion or demotion while every peer
     * is connected (8.4 {@code _drbd_uuid_set} keeps the bit in step with the role).
     */
    public GenerationIds withPrimaryBit(boolean primary) {
        long next = primary ? current | UUID_PRIMARY : mask(current);
        return new GenerationIds(next, bitmaps, history);
    }

    /**
     * Resync start on the sync source, for the target in {@code peerSlot}.
     *
     * <p>8.4 {@code drbd_gen_and_send_sync_uuid} (protocol &lt; 110): the slot's bitmap id becomes bitmap id +
     * {@link #UUID_NEW_BM_OFFSET}, or a random id if it was 0 or {@link #UUID_JUST_CREATED}; the old value is pushed
     * into history. The new bitmap id is what the source sends as P_SYNC_UUID. If the target never records the
     * start, rules 51/71 ({@link SyncRule#SYNC_TARGET_MISSED_START}) recognise this state on the next connect.
     */
    public GenerationIds resyncStartingAsSource(int peerSlot, RandomGenerator random) {
        checkSlot(peerSlot);
        Objects.requireNonNull(random, "random");
        long old = bitmaps[peerSlot];
        long masked = mask(old);
        long next = masked == 0 || masked == UUID_JUST_CREATED
                ? freshId(random, false, old)
                : old + UUID_NEW_BM_OFFSET;
        long[] nextBitmaps = bitmaps.clone();
        nextBitmaps[peerSlot] = next;
        return new GenerationIds(current, nextBitmaps, pushed(history, old));
    }

    /**
     * Resync start on the sync target.
     *
     * <p>DRBD 9 {@code drbd_uuid_resync_starting} (protocol &ge; 110), not the 8.4 rule: the target does not adopt
     * the P_SYNC_UUID value as its current id. Its data stops being a consistent image of its current generation,
     * so the current id is rotated into the bitmap slots of {@code slotsToRotate} (peers that are away and still at
     * this generation, which will need the blocks the resync is about to change), under the same empty-or-equal
     * condition as {@link #newCurrent}. The current id itself is kept until {@link #resyncFinishedAsTarget}, so
     * nothing needs to go to history here.
     */
    public GenerationIds resyncStartingAsTarget(PeerSlots slotsToRotate) {
        long[] nextBitmaps = bitmaps.clone();
        rotateInto(nextBitmaps, current, slotsToRotate);
        return new GenerationIds(current, nextBitmaps, history);
    }

    /**
     * Resync start on the sync target, as this replicator does it: the 9 rotation of {@link
     * #resyncStartingAsTarget(PeerSlots)}, then the current id becomes the resync's {@code syncId} (the source's
     * bitmap id for this node, or its current id when that slot was empty) like 8.4's P_SYNC_UUID, the old current
     * going to history if no slot took it. The data is Inconsistent from now on; if the resync is cut, the next
     * connect finds this node's current equal to the source's bitmap id for it (rule bitmap-peer) or to the
     * source's current with the source's bitmap id set (missed-finish), and resumes from the bitmap rather than
     * starting a full sync again.
     */
    public GenerationIds resyncStartingAsTarget(PeerSlots slotsToRotate, long syncId) {
        return resyncStartingAsTarget(slotsToRotate, syncId, null);
    }

    /**
     * {@link #resyncStartingAsTarget(PeerSlots, long)} from a source with ids {@code source} (null: unknown). If the
     * source does not know this node's current id (it is not the source's current, nor one of its bitmap or
     * history ids), this node's data is not behind the source's but discarded by the resync — a split brain it lost,
     * or {@code --discard-my-data}: its current id then goes nowhere, neither into the slots of peers that are away
     * nor into history. Kept, it would make a node still holding that generation's writes look, later, like an
     * ancestor of this node's new data, to be overwritten without a split brain.
     */
    public GenerationIds resyncStartingAsTarget(PeerSlots slotsToRotate, long syncId, GenerationIds source) {
        long[] nextBitmaps = bitmaps.clone();
        boolean discarded = source != null && mask(source.current) != mask(current) && !source.knows(current);
        boolean rotated = !discarded && rotateInto(nextBitmaps, current, slotsToRotate);
        if (mask(syncId) == mask(current)) {
            return new GenerationIds(current, nextBitmaps, history);
        }
        long[] nextHistory = rotated || discarded ? history : pushed(history, current);
        return new GenerationIds(mask(syncId) | (current & UUID_PRIMARY), nextBitmaps, nextHistory);
    }

    /** These ids with bitmap id {@code id} in {@code slot} (the sync source recording the resync's id). */
    public GenerationIds withBitmapId(int slot, long id) {
        checkSlot(slot);
        long[] nextBitmaps = bitmaps.clone();
        nextBitmaps[slot] = mask(id);
        return new GenerationIds(current, nextBitmaps, history);
    }

    /**
     * Resync end on the sync target, which now holds the source's data.
     *
     * <p>8.4 resync-finished: Bitmap &lt;- old Current, Current &lt;- the source's Current, then the bitmap is
     * cleared into history; DRBD 9 additionally imports the source's history and bitmap ids
     * ({@code drbd_uuid_resync_finished}). Order of the pushes, oldest first: this node's bitmap id for the source,
     * the source's history (oldest to newest), this node's old current, the source's non-empty bitmap ids in slot
     * order. With a single peer this leaves history[0] = the source's bitmap id for us and history[1] = the source's
     * history[0], which is exactly what 8.4 rule 34/35 checks to recognise a source that missed the finish. Bit 0 of
     * the new current follows this node's role, not the source's.
     *
     * <p>The old current goes to history only if the source knows it (one of its bitmap or history ids): then the
     * source's data descends from it. After a split brain this node lost, it does not: its changes were discarded,
     * and keeping the id would make it look, to a third node still holding that generation's writes, like a
     * descendant of them — a later handshake would overwrite that node's data without a split brain (DRBD 9 too
     * takes the source's ids as they are).
     *
     * @param sourceSlot this node's slot for the source; its bitmap id is cleared
     * @param source the source's ids at the end of the resync
     */
    public GenerationIds resyncFinishedAsTarget(int sourceSlot, GenerationIds source) {
        checkSlot(sourceSlot);
        Objects.requireNonNull(source, "source");
        long[] nextHistory = pushed(history, bitmaps[sourceSlot]);
        for (int i = HISTORY_SIZE - 1; i >= 0; i--) {
            nextHistory = pushed(nextHistory, source.history[i]);
        }
        if (source.knows(current)) {
            nextHistory = pushed(nextHistory, current);
        }
        for (long id : source.bitmaps) {
            nextHistory = pushed(nextHistory, id);
        }
        long[] nextBitmaps = bitmaps.clone();
        nextBitmaps[sourceSlot] = 0;
        long nextCurrent = mask(source.current) | (current & UUID_PRIMARY);
        return new GenerationIds(nextCurrent, nextBitmaps, nextHistory);
    }

    /**
     * An Inconsistent node that takes the writes of a Primary of another generation ({@code primary}'s ids): its data
     * now holds some of that generation's writes, so it carries that generation — current id the Primary's, the
     * Primary's history and bitmap ids imported as on {@link #resyncFinishedAsTarget} (this node's old current too,
     * if the Primary knows it). Its bitmap ids stay. Departure from DRBD 9, where only an UpToDate node adopts a new
     * current id: kept at an older id, the node would look to a third node — an older Primary that lost quorum, say —
     * like an ancestor of that node's data, to be overwritten by it; the third node would regain quorum through it and
     * complete writes while the newer Primary's acknowledged writes are on this node. Carrying the newer generation,
     * it is ahead of that node: not a source (Inconsistent), not a target of it either, until its resync is done
     * (simulation seed 4366524313826046807).
     */
    public GenerationIds followingPrimary(GenerationIds primary) {
        Objects.requireNonNull(primary, "primary");
        if (mask(primary.current) == mask(current)) {
            return this;
        }
        long[] nextHistory = primary.knows(current) ? pushed(history, current) : history;
        for (int i = HISTORY_SIZE - 1; i >= 0; i--) {
            nextHistory = pushed(nextHistory, primary.history[i]);
        }
        for (long id : primary.bitmaps) {
            nextHistory = pushed(nextHistory, id);
        }
        return new GenerationIds(mask(primary.current) | (current & UUID_PRIMARY), bitmaps.clone(), nextHistory);
    }

    /**
     * Whether these ids descend from {@code id}: it is not the current id but one of the bitmap or history ids. A node
     * whose current is {@code id} holds an ancestor of this node's data.
     */
    public boolean descendsFrom(long id) {
        return mask(id) != 0 && mask(id) != mask(current) && knows(id);
    }

    /**
     * Whether these ids moved on from {@code id} by one new generation: {@code id} is where {@link #newCurrent} put
     * the old current — one of the bitmap ids, or the newest history id. A node whose current is {@code id} holds
     * what these ids' generation started from, and may adopt it.
     */
    public boolean movedOnFrom(long id) {
        long masked = mask(id);
        if (masked == 0) {
            return false;
        }
        for (long bitmap : bitmaps) {
            if (mask(bitmap) == masked) {
                return true;
            }
        }
        return mask(history[0]) == masked;
    }

    /** Whether {@code id} is one of these bitmap or history ids. */
    private boolean knows(long id) {
        long masked = mask(id);
        for (long bitmap : bitmaps) {
            if (mask(bitmap) == masked) {
                return true;
            }
        }
        for (long old : history) {
            if (mask(old) == masked) {
                return true;
            }
        }
        return false;
    }

    /**
     * Resync end on the sync source: the target's slot is cleared, its bitmap id pushed into history (8.4
     * {@code drbd_uuid_set_bm(0)}, which shifts Bitmap into History1).
     */
    public GenerationIds resyncFinishedAsSource(int peerSlot) {
        checkSlot(peerSlot);
        long[] nextBitmaps = bitmaps.clone();
        nextBitmaps[peerSlot] = 0;
        return new GenerationIds(current, nextBitmaps, pushed(history, bitmaps[peerSlot]));
    }

    /**
     * {@code new-current-uuid --clear-bitmap}: a fresh current id with every bitmap slot cleared, used to skip the
     * initial sync of freshly created, identical (e.g. zeroed) disks. The old current and the old bitmap ids go to
     * history (old current first, then the bitmap ids in slot order), so no generation is forgotten.
     */
    public GenerationIds clearBitmapSkipInitialSync(RandomGenerator random, boolean primary) {
        Objects.requireNonNull(random, "random");
        long[] nextHistory = pushed(history, current);
        for (long id : bitmaps) {
            nextHistory = pushed(nextHistory, id);
        }
        return new GenerationIds(freshId(random, primary, current), new long[bitmaps.length], nextHistory);
    }

    /**
     * These ids with the peer's {@code peerCurrent} as current (this node's primary bit kept as {@code primary}):
     * used after {@link #clearBitmapSkipInitialSync} on the peer, when both copies are declared identical and must
     * carry the same generation.
     */
    public GenerationIds adoptingCurrent(long peerCurrent, boolean primary) {
        return new GenerationIds(mask(peerCurrent) | (primary ? UUID_PRIMARY : 0), bitmaps.clone(), history.clone());
    }

    /**
     * History with {@code id} pushed in front: bit 0 is cleared; 0, {@link #UUID_JUST_CREATED} and a repeat of the
     * newest entry are not stored (DRBD 9 {@code _drbd_uuid_push_history}); the oldest entry falls off.
     */
    static long[] pushed(long[] history, long id) {
        long masked = mask(id);
        if (masked == 0 || masked == UUID_JUST_CREATED || history[0] == masked) {
            return history;
        }
        long[] next = new long[HISTORY_SIZE];
        next[0] = masked;
        System.arraycopy(history, 0, next, 1, HISTORY_SIZE - 1);
        return next;
    }

    /** Copies {@code id} into each listed slot that is empty or already equal; true if any slot holds it now. */
    private static boolean rotateInto(long[] bitmaps, long id, PeerSlots slots) {
        Objects.requireNonNull(slots, "slots");
        boolean rotated = false;
        for (int slot = 0; slot < MAX_PEERS; slot++) {
            if (!slots.contains(slot)) {
                continue;
            }
            if (slot >= bitmaps.length) {
                throw new IllegalArgumentException("no peer slot " + slot + " among " + bitmaps.length);
            }
            long held = mask(bitmaps[slot]);
            if (held == 0 || held == mask(id)) {
                bitmaps[slot] = id;
                rotated = true;
            }
        }
        return rotated;
    }

    /** A random id that is not 0, not JUST_CREATED and not {@code replaced} once masked; bit 0 = {@code primary}. */
    private static long freshId(RandomGenerator random, boolean primary, long replaced) {
        while (true) {
            long candidate = mask(random.nextLong()) | (primary ? UUID_PRIMARY : 0);
            long masked = mask(candidate);
            if (masked != 0 && masked != UUID_JUST_CREATED && masked != mask(replaced)) {
                return candidate;
            }
        }
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= bitmaps.length) {
            throw new IllegalArgumentException("peer slot out of range [0, " + bitmaps.length + "): " + slot);
        }
    }

    private static void checkPeerCount(int peers) {
        if (peers < 1 || peers > MAX_PEERS) {
            throw new IllegalArgumentException("peer slots must be in [1, " + MAX_PEERS + "]: " + peers);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationIds other
                && current == other.current
                && Arrays.equals(bitmaps, other.bitmaps)
                && Arrays.equals(history, other.history);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(current) + Arrays.hashCode(bitmaps)) + Arrays.hashCode(history);
    }

    /** Hex ids in DRBD's dump order: current, then the non-empty bitmap slots, then the non-empty history. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GenerationIds[current=").append(hex(current)).append(", bitmaps={");
        String sep = "";
        for (int slot = 0; slot < bitmaps.length; slot++) {
            if (bitmaps[slot] != 0) {
                sb.append(sep).append(slot).append('=').append(hex(bitmaps[slot]));
                sep = ", ";
            }
        }
        sb.append("}, history=[");
        sep = "";
        for (long h : history) {
            if (h != 0) {
                sb.append(sep).append(hex(h));
                sep = ", ";
            }
        }
        return sb.append("]]").toString();
    }

    private static String hex(long id) {
        return String.format("%016X", id);
    }
}

package io.replicator.core.activitylog;

import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The activity log: the set of "hot" 4 MiB extents that may hold writes not yet known to be on every node, kept
 * on disk so that after a crash only those extents need resync (DRBD's AL, reference drbd.md §6).
 *
 * <p>Invariants:
 * <ul>
 *   <li>Before the first write to a cold extent, a transaction that makes it hot is durable in the ring
 *       ({@link #tryBeginWrite} writes and flushes it before returning).</li>
 *   <li>An extent with writes in flight ({@link #tryBeginWrite} without its {@link #endWrite}) is never evicted.</li>
 *   <li>Before a transaction that evicts an extent is written, the {@link EvictionListener} has written out (and
 *       this class has flushed) the bitmap pages that cover it, so bits set only in memory are not lost.</li>
 *   <li>Hence after a crash, every block that may differ between the nodes is either marked in the on-disk bitmap
 *       or lies in an extent that {@link #replay} reports active.</li>
 * </ul>
 *
 * <p>Hot extents are kept in least-recently-used order; the victim is the least recently used slot with no writes
 * in flight, empty slots first. Not thread-safe: the resource's owner thread drives it, and its I/O is the blocking
 * write of one 4 KiB block plus a flush per transaction.
 */
public final class ActivityLog {
    /** log2 of the extent size: 4 MiB, as DRBD. */
    public static final int EXTENT_SHIFT = 22;
    /** Bytes per extent. */
    public static final long EXTENT_BYTES = 1L << EXTENT_SHIFT;
    /** DRBD's default {@code al-extents}. */
    public static final int DEFAULT_AL_EXTENTS = 1237;

    /** {@link #tryBeginWrite} status: the extents are hot and pinned. */
    public static final int OK = 0;
    /** {@link #tryBeginWrite} status: every slot has writes in flight; retry after some complete. Nothing changed. */
    public static final int NO_FREE_SLOT = 1;

    /** Called with each extent about to leave the log, before the transaction that drops it is written. */
    @FunctionalInterface
    public interface EvictionListener {
        /** Writes out the bitmap pages that cover {@code extent}; the activity log flushes afterwards. */
        void beforeEvict(long extent) throws IOException;
    }

    private final Volume ring;
    private final int ringBlocks;
    private final int alExtents;
    private final EvictionListener evictionListener;
    private final int[] slotExtent;
    private final int[] slotRefs;
    private final int[] lruPrev;
    private final int[] lruNext;
    private final ExtentSlotTable table;
    private final ByteBuffer block = AlTransactionDescriptor.newBlock();
    private final int[] pendingSlots = new int[AlTransactionDescriptor.MAX_UPDATES];
    private final int[] pendingExtents = new int[AlTransactionDescriptor.MAX_UPDATES];
    private int lruHead = -1;
    private int lruTail = -1;
    private long nextNumber;
    private int contextCursor;
    private int activeCount;
    private long transactionsWritten;
    private long slotWaits;

    private ActivityLog(Volume ring, int alExtents, EvictionListener evictionListener, int[] recoveredSlots,
                        long nextNumber) {
        long ringBytes = ring.sizeBytes();
        if (alExtents < 1 || alExtents > AlTransactionDescriptor.maxAlExtents(ringBytes)) {
            throw new IllegalArgumentException("al-extents " + alExtents + " out of range [1.."
                + AlTransactionDescriptor.maxAlExtents(ringBytes) + "] for an activity log of " + ringBytes + " bytes");
        }
        this.ring = ring;
        this.ringBlocks = (int) (ringBytes / AlTransactionDescriptor.TRANSACTION_BYTES);
        this.alExtents = alExtents;
        this.evictionListener = evictionListener;
        this.slotExtent = new int[alExtents];
        this.slotRefs = new int[alExtents];
        this.lruPrev = new int[alExtents];
        this.lruNext = new int[alExtents];
        this.table = new ExtentSlotTable(alExtents);
        this.nextNumber = nextNumber;
        Arrays.fill(slotExtent, AlTransactionDescriptor.EMPTY_EXTENT);
        // Empty slots sit at the cold end so that they are used before any hot extent is evicted.
        for (int slot = 0; slot < alExtents; slot++) {
            int extent = slot < recoveredSlots.length ? recoveredSlots[slot] : AlTransactionDescriptor.EMPTY_EXTENT;
            if (extent != AlTransactionDescriptor.EMPTY_EXTENT && table.slotOf(extent) < 0) {
                slotExtent[slot] = extent;
                table.put(extent, slot);
                activeCount++;
                linkAtHead(slot);
            }
        }
        for (int slot = 0; slot < alExtents; slot++) {
            if (slotExtent[slot] == AlTransactionDescriptor.EMPTY_EXTENT) {
                linkAtTail(slot);
            }
        }
    }

    /**
     * Replays the ring and opens the log on it. When the ring was written with the same {@code alExtents}, the
     * replayed extents stay hot; otherwise the log starts empty and the caller must have written the bitmap of
     * every replayed extent out (as attach does anyway after marking them).
     */
    public static ActivityLog open(Volume ring, int alExtents, AlReplay replay, EvictionListener listener) {
        int[] seed = replay.alExtents() == alExtents ? replay.slotExtents() : new int[0];
        return new ActivityLog(ring, alExtents, listener, seed, replay.lastNumber() + 1);
    }

    /** Reads the ring and rebuilds the slot table from its newest consecutive run of valid transactions. */
    public static AlReplay replay(Volume ring) throws IOException {
        int blocks = (int) (ring.sizeBytes() / AlTransactionDescriptor.TRANSACTION_BYTES);
        ByteBuffer[] valid = new ByteBuffer[blocks];
        int validCount = 0;
        for (int i = 0; i < blocks; i++) {
            ByteBuffer buffer = AlTransactionDescriptor.newBlock();
            ring.read(buffer, (long) i * AlTransactionDescriptor.TRANSACTION_BYTES);
            if (AlTransactionDescriptor.isValid(buffer)) {
                valid[validCount++] = buffer;
            }
        }
        if (validCount == 0) {
            return new AlReplay(0, new int[0], 0, 0);
        }
        ByteBuffer[] sorted = Arrays.copyOf(valid, validCount);
        Arrays.sort(sorted, (a, b) -> Long.compare(number(a), number(b)));
        int first = sorted.length - 1;
        while (first > 0 && number(sorted[first - 1]) == number(sorted[first]) - 1) {
            first--;
        }
        ByteBuffer newest = sorted[sorted.length - 1];
        int slots = newest.getInt(AlTransactionDescriptor.AL_EXTENTS_OFFSET);
        int[] slotExtents = new int[Math.max(0, slots)];
        Arrays.fill(slotExtents, AlTransactionDescriptor.EMPTY_EXTENT);
        for (int t = first; t < sorted.length; t++) {
            applyTransaction(sorted[t], slotExtents);
        }
        return new AlReplay(slots, slotExtents, number(newest), sorted.length - first);
    }

    private static void applyTransaction(ByteBuffer tx, int[] slotExtents) {
        int updates = Math.min(tx.getShort(AlTransactionDescriptor.UPDATE_COUNT_OFFSET) & 0xFFFF,
            AlTransactionDescriptor.MAX_UPDATES);
        for (int u = 0; u < updates; u++) {
            int at = AlTransactionDescriptor.UPDATES_OFFSET + u * 8;
            int slot = tx.getInt(at);
            if (slot >= 0 && slot < slotExtents.length) {
                slotExtents[slot] = tx.getInt(at + 4);
            }
        }
        int contextCount = Math.min(tx.getShort(AlTransactionDescriptor.CONTEXT_COUNT_OFFSET) & 0xFFFF,
            AlTransactionDescriptor.MAX_CONTEXT);
        int contextStart = tx.getInt(AlTransactionDescriptor.CONTEXT_START_OFFSET);
        for (int c = 0; c < contextCount; c++) {
            int slot = contextStart + c;
            if (slot >= 0 && slot < slotExtents.length) {
                slotExtents[slot] = tx.getInt(AlTransactionDescriptor.CONTEXT_OFFSET + c * 4);
            }
        }
    }

    private static long number(ByteBuffer tx) {
        return tx.getLong(AlTransactionDescriptor.NUMBER_OFFSET);
    }

    /** The extent holding byte {@code offsetBytes}. */
    public static long extentOf(long offsetBytes) {
        return offsetBytes >>> EXTENT_SHIFT;
    }

    /**
     * Makes every extent of {@code [offsetBytes, offsetBytes + lengthBytes)} hot and pins it until {@link #endWrite}
     * of the same range. Writes (and flushes) one transaction when some extent was cold.
     *
     * @return {@link #OK}, or {@link #NO_FREE_SLOT} (nothing changed) when too few slots are free of writes
     * @throws IOException when the transaction could not be written; the log is then unchanged in memory
     */
    public int tryBeginWrite(long offsetBytes, long lengthBytes) throws IOException {
        if (lengthBytes <= 0) {
            return OK;
        }
        int firstExtent = checkedExtent(offsetBytes);
        int lastExtent = checkedExtent(offsetBytes + lengthBytes - 1);
        for (int extent = firstExtent; extent <= lastExtent; extent++) {
            int slot = table.slotOf(extent);
            if (slot >= 0) {
                slotRefs[slot]++;
            }
        }
        int updates = 0;
        for (int extent = firstExtent; extent <= lastExtent; extent++) {
            if (table.slotOf(extent) < 0) {
                if (updates == AlTransactionDescriptor.MAX_UPDATES) {
                    unpinHot(firstExtent, lastExtent);
                    throw new IllegalArgumentException("a write of " + lengthBytes + " bytes spans more than "
                        + AlTransactionDescriptor.MAX_UPDATES + " cold extents");
                }
                int victim = victim(updates);
                if (victim < 0) {
                    unpinHot(firstExtent, lastExtent);
                    slotWaits++;
                    return NO_FREE_SLOT;
                }
                pendingSlots[updates] = victim;
                pendingExtents[updates] = extent;
                updates++;
            }
        }
        if (updates > 0) {
            try {
                commit(updates);
            } catch (IOException | RuntimeException failure) {
                unpinHot(firstExtent, lastExtent);
                throw failure;
            }
        }
        for (int extent = firstExtent; extent <= lastExtent; extent++) {
            touch(table.slotOf(extent));
        }
        return OK;
    }

    /** Unpins the extents of a range that {@link #tryBeginWrite} pinned; its writes have completed. */
    public void endWrite(long offsetBytes, long lengthBytes) {
        if (lengthBytes <= 0) {
            return;
        }
        int lastExtent = checkedExtent(offsetBytes + lengthBytes - 1);
        for (int extent = checkedExtent(offsetBytes); extent <= lastExtent; extent++) {
            int slot = table.slotOf(extent);
            if (slot < 0 || slotRefs[slot] == 0) {
                throw new IllegalStateException("endWrite for extent " + extent + " that has no write in flight");
            }
            slotRefs[slot]--;
        }
    }

    /** Whether {@code extent} is hot. */
    public boolean isActive(long extent) {
        return extent <= Integer.MAX_VALUE && table.slotOf((int) extent) >= 0;
    }

    /** Number of hot extents. */
    public int activeCount() {
        return activeCount;
    }

    /** The hot extents, ascending. */
    public long[] activeExtents() {
        return java.util.stream.IntStream.of(slotExtent).filter(e -> e != AlTransactionDescriptor.EMPTY_EXTENT)
            .sorted().asLongStream().toArray();
    }

    /** The size of the hot set. */
    public int alExtents() {
        return alExtents;
    }

    /** Transactions written since the log was opened. */
    public long transactionsWritten() {
        return transactionsWritten;
    }

    /** How many times {@link #tryBeginWrite} found no free slot (its writer then waits), since open. */
    public long slotWaits() {
        return slotWaits;
    }

    /** Writes in flight summed over all extents. */
    public int pinnedWrites() {
        int sum = 0;
        for (int refs : slotRefs) {
            sum += refs;
        }
        return sum;
    }

    private int checkedExtent(long offsetBytes) {
        if (offsetBytes < 0) {
            throw new IllegalArgumentException("negative offset " + offsetBytes);
        }
        return Math.toIntExact(extentOf(offsetBytes));
    }

    /** Picks the least recently used unpinned slot not already chosen for this transaction, or -1. */
    private int victim(int chosen) {
        for (int slot = lruTail; slot >= 0; slot = lruPrev[slot]) {
            if (slotRefs[slot] == 0 && !contains(pendingSlots, chosen, slot)) {
                return slot;
            }
        }
        return -1;
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * Evicts the victims, installs the new extents, writes the transaction, and pins the new extents. On entry
     * {@code pendingExtents[u]} is the extent going into {@code pendingSlots[u]}; install swaps in the evicted one,
     * so that a failure can restore the table.
     */
    private void commit(int updates) throws IOException {
        boolean evicted = false;
        for (int u = 0; u < updates; u++) {
            int old = slotExtent[pendingSlots[u]];
            if (old != AlTransactionDescriptor.EMPTY_EXTENT) {
                evictionListener.beforeEvict(old);
                evicted = true;
            }
        }
        if (evicted) {
            ring.flush();
        }
        for (int u = 0; u < updates; u++) {
            int slot = pendingSlots[u];
            int newExtent = pendingExtents[u];
            pendingExtents[u] = install(slot, newExtent);
        }
        try {
            writeTransaction(updates);
        } catch (IOException | RuntimeException failure) {
            for (int u = updates - 1; u >= 0; u--) {
                install(pendingSlots[u], pendingExtents[u]);
            }
            throw failure;
        }
        for (int u = 0; u < updates; u++) {
            slotRefs[pendingSlots[u]]++;
        }
    }

    /** Puts {@code extent} into {@code slot}, returning the extent it held. */
    private int install(int slot, int extent) {
        int old = slotExtent[slot];
        if (old != AlTransactionDescriptor.EMPTY_EXTENT) {
            table.remove(old);
            activeCount--;
        }
        slotExtent[slot] = extent;
        if (extent != AlTransactionDescriptor.EMPTY_EXTENT) {
            table.put(extent, slot);
            activeCount++;
        }
        return old;
    }

    private void writeTransaction(int updates) throws IOException {
        ByteBuffer tx = block;
        Arrays.fill(tx.array(), (byte) 0);
        long number = nextNumber;
        int contextCount = Math.min(AlTransactionDescriptor.MAX_CONTEXT, alExtents - contextCursor);
        tx.putLong(AlTransactionDescriptor.NUMBER_OFFSET, number)
            .putShort(AlTransactionDescriptor.UPDATE_COUNT_OFFSET, (short) updates)
            .putShort(AlTransactionDescriptor.CONTEXT_COUNT_OFFSET, (short) contextCount)
            .putInt(AlTransactionDescriptor.CONTEXT_START_OFFSET, contextCursor)
            .putInt(AlTransactionDescriptor.AL_EXTENTS_OFFSET, alExtents);
        for (int u = 0; u < updates; u++) {
            int at = AlTransactionDescriptor.UPDATES_OFFSET + u * 8;
            tx.putInt(at, pendingSlots[u]).putInt(at + 4, slotExtent[pendingSlots[u]]);
        }
        for (int c = 0; c < contextCount; c++) {
            tx.putInt(AlTransactionDescriptor.CONTEXT_OFFSET + c * 4, slotExtent[contextCursor + c]);
        }
        AlTransactionDescriptor.seal(tx);
        ring.write(tx.clear(), Math.floorMod(number, ringBlocks) * (long) AlTransactionDescriptor.TRANSACTION_BYTES);
        ring.flush();
        nextNumber = number + 1;
        contextCursor = contextCursor + contextCount >= alExtents ? 0 : contextCursor + contextCount;
        transactionsWritten++;
    }

    private void unpinHot(int firstExtent, int lastExtent) {
        for (int extent = firstExtent; extent <= lastExtent; extent++) {
            int slot = table.slotOf(extent);
            if (slot >= 0) {
                slotRefs[slot]--;
            }
        }
    }

    private void touch(int slot) {
        if (slot != lruHead) {
            unlink(slot);
            linkAtHead(slot);
        }
    }

    private void linkAtHead(int slot) {
        lruPrev[slot] = -1;
        lruNext[slot] = lruHead;
        if (lruHead >= 0) {
            lruPrev[lruHead] = slot;
        }
        lruHead = slot;
        if (lruTail < 0) {
            lruTail = slot;
        }
    }

    private void linkAtTail(int slot) {
        lruNext[slot] = -1;
        lruPrev[slot] = lruTail;
        if (lruTail >= 0) {
            lruNext[lruTail] = slot;
        }
        lruTail = slot;
        if (lruHead < 0) {
            lruHead = slot;
        }
    }

    private void unlink(int slot) {
        int prev = lruPrev[slot];
        int next = lruNext[slot];
        if (prev >= 0) {
            lruNext[prev] = next;
        } else {
            lruHead = next;
        }
        if (next >= 0) {
            lruPrev[next] = prev;
        } else {
            lruTail = prev;
        }
    }
}

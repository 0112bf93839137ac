package io.replicator.core.resync;

import io.replicator.core.bitmap.DirtyBitmap;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * What a resync target and a verify source share: requests of block ranges sent at the pace a {@link Pacer} allows
 * per step, at most {@code maxInFlightBytes} unanswered, each remembered by id until its answer comes back. Between
 * steps, answers free room for more requests within the step's remaining budget, so a fast link is not held to one
 * window per 100 ms. Thread-safe: steps run on a resync thread, answers arrive on receive or network threads.
 */
abstract class PacedRequester {
    /** Largest single request: DRBD's maximum bio size. */
    static final int MAX_REQUEST_BYTES = 1 << 20;

    final int volume;
    final long dataBytes;
    private final Pacer pacer;
    private final LongSupplier clock;
    private final long maxInFlightBytes;
    private final Map<Long, long[]> inFlight = new HashMap<>();
    /** In-flight ranges by first block → end block, so a new pass does not ask twice. */
    private final TreeMap<Long, Long> inFlightBlocks = new TreeMap<>();
    /** Requests overtaken by an application write to their range ({@link #markStale}). */
    private final java.util.Set<Long> stale = new java.util.HashSet<>();
    private long inFlightBytes;
    private long cameBack;
    private long budget;
    private long nextId = 1;
    private boolean stopped;

    PacedRequester(int volume, long dataBytes, Pacer pacer, LongSupplier clock, long maxInFlightBytes) {
        this.volume = volume;
        this.dataBytes = dataBytes;
        this.pacer = pacer;
        this.clock = clock;
        this.maxInFlightBytes = Math.max(MAX_REQUEST_BYTES, maxInFlightBytes);
    }

    /** One controller step: a new budget, then requests within it. */
    public final void step() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            budget = Math.max(0, pacer.bytesToRequest(clock.getAsLong(), inFlightBytes, cameBack));
            cameBack = 0;
        }
        issue();
    }

    /** Sends requests while the step's budget and the in-flight limit allow and there is something to ask for. */
    public final void issue() {
        while (true) {
            long id;
            long[] range;
            synchronized (this) {
                if (stopped || paused() || budget <= 0 || inFlightBytes >= maxInFlightBytes) {
                    return;
                }
                range = nextRange(Math.min(MAX_REQUEST_BYTES, Math.max(DirtyBitmap.BLOCK_BYTES, budget)));
                if (range == null) {
                    return;
                }
                id = nextId++;
                inFlight.put(id, range);
                inFlightBlocks.put(DirtyBitmap.blockOf(range[0]), DirtyBitmap.blocksFor(range[0] + range[1]));
                inFlightBytes += range[1];
                budget -= range[1];
            }
            send(id, range[0], (int) range[1]);
        }
    }

    /**
     * The answer to request {@code id} came: its range {offset, length}, or null if no such request is in flight
     * (answers from before a stop, or a peer answering twice).
     */
    final synchronized long[] answered(long id) {
        long[] range = inFlight.remove(id);
        if (range != null) {
            inFlightBlocks.remove(DirtyBitmap.blockOf(range[0]));
            inFlightBytes -= range[1];
            cameBack += range[1];
        }
        return range;
    }

    /**
     * Marks every request in flight that overlaps {@code [offset, offset + length)} stale: an application write here
     * went to the peer after the request, so the peer's answer may predate it (a Primary sync target).
     */
    final synchronized void markStale(long offset, long length) {
        for (Map.Entry<Long, long[]> entry : inFlight.entrySet()) {
            long[] range = entry.getValue();
            if (range[0] < offset + length && offset < range[0] + range[1]) {
                stale.add(entry.getKey());
            }
        }
    }

    /** Whether request {@code id} was overtaken by an application write (and forgets it). */
    final synchronized boolean takeStale(long id) {
        return stale.remove(id);
    }

    /** The range {offset, length} of request {@code id} if it is in flight (it stays in flight), else null. */
    final synchronized long[] inFlightRange(long id) {
        return inFlight.get(id);
    }

    /** Whether block {@code block} is inside a request in flight; if so, the end of that request (else -1). */
    final synchronized long inFlightEnd(long block) {
        Map.Entry<Long, Long> floor = inFlightBlocks.floorEntry(block);
        return floor != null && floor.getValue() > block ? floor.getValue() : -1;
    }

    /** The first block of the next request in flight at or after {@code block}, or {@code limit}. */
    final synchronized long nextInFlightStart(long block, long limit) {
        Long next = inFlightBlocks.ceilingKey(block);
        return next == null ? limit : Math.min(next, limit);
    }

    /** Requests in flight. */
    public final synchronized int inFlightRequests() {
        return inFlight.size();
    }

    /** Bytes requested and not answered. */
    public final synchronized long inFlightBytes() {
        return inFlightBytes;
    }

    /** No more requests; answers still in flight are ignored. */
    public final synchronized void stop() {
        stopped = true;
    }

    /** Whether {@link #stop} was called. */
    public final synchronized boolean stopped() {
        return stopped;
    }

    /** The length of the block range starting at block {@code block} and ending before block {@code end}. */
    final long bytesOf(long block, long end) {
        long offset = DirtyBitmap.offsetBytesOf(block);
        return Math.min(DirtyBitmap.offsetBytesOf(end), dataBytes) - offset;
    }

    long now() {
        return clock.getAsLong();
    }

    /** Whether requests are held back now (a paused resync). Called under the lock. */
    abstract boolean paused();

    /** The next range to request, {offset, length} with length ≤ {@code maxBytes}, or null. Called under the lock. */
    abstract long[] nextRange(long maxBytes);

    /** Sends request {@code id}; called outside the lock (it may read the disk for a digest). */
    abstract void send(long id, long offset, int length);
}

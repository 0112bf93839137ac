package io.replicator.core.resource;

import io.replicator.core.activitylog.ActivityLog;

import java.util.BitSet;
import java.util.function.LongConsumer;

/**
 * The 4 MiB extents of one volume that this node wrote on a peer's behalf (replicated or resync data) within a
 * sliding window of whole seconds.
 *
 * <p>When another peer is lost, those extents are marked out of sync for it: the lost peer may have missed writes
 * that this node applied before it noticed the loss, and it may later resync from this node rather than from the
 * Primary. DRBD 9 settles this exactly with peer acks; this node over-marks whole extents instead, as the activity
 * log does after a crash, which costs resync time and never data. The window must outlast the time to notice a
 * lost connection (ping-int + ping-timeout, or timeout × ko-count).
 *
 * <p>Thread-safe: receive threads record, the owner thread reads.
 */
final class RecentExtents {
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final BitSet[] buckets;
    private final long[] bucketSecond;

    /** @param windowSeconds how far back {@link #forEachRecent} reaches, at least 1 */
    RecentExtents(int windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("window must be at least 1 s, got " + windowSeconds);
        }
        buckets = new BitSet[windowSeconds + 1];
        bucketSecond = new long[windowSeconds + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new BitSet();
            bucketSecond[i] = Long.MIN_VALUE;
        }
    }

    /** Records that {@code [offset, offset + length)} was written at {@code nowNanos}. */
    synchronized void record(long offset, long length, long nowNanos) {
        if (length <= 0) {
            return;
        }
        long second = Math.floorDiv(nowNanos, SECOND_NANOS);
        int index = (int) Math.floorMod(second, (long) buckets.length);
        if (bucketSecond[index] != second) {
            buckets[index].clear();
            bucketSecond[index] = second;
        }
        int first = (int) (offset >>> ActivityLog.EXTENT_SHIFT);
        int last = (int) ((offset + length - 1) >>> ActivityLog.EXTENT_SHIFT);
        buckets[index].set(first, last + 1);
    }

    /** Hands the byte offset of every extent written within the window before {@code nowNanos} to {@code extent}. */
    synchronized void forEachRecent(long nowNanos, LongConsumer extent) {
        long second = Math.floorDiv(nowNanos, SECOND_NANOS);
        BitSet union = new BitSet();
        for (int i = 0; i < buckets.length; i++) {
            if (bucketSecond[i] != Long.MIN_VALUE && second - bucketSecond[i] < buckets.length) {
                union.or(buckets[i]);
            }
        }
        for (int e = union.nextSetBit(0); e >= 0; e = union.nextSetBit(e + 1)) {
            extent.accept((long) e << ActivityLog.EXTENT_SHIFT);
        }
    }
}

package io.replicator.core.resync;

import java.util.ArrayDeque;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Progress of one resync or verify for {@code status}: done %, the rate over the last few seconds (DRBD's "sync
 * marks") and the time left at that rate. Thread-safe.
 */
public final class SyncProgress {
    private static final long MARK_NANOS = 1_000_000_000L;
    private static final int MARKS = 4;

    private final long totalBytes;
    private final long startNanos;
    private final ArrayDeque<long[]> marks = new ArrayDeque<>();
    private long doneBytes;

    /** A job of {@code totalBytes} starting at {@code nowNanos}. */
    public SyncProgress(long totalBytes, long nowNanos) {
        this.totalBytes = totalBytes;
        this.startNanos = nowNanos;
        marks.add(new long[] {nowNanos, 0});
    }

    /** {@code bytes} more are done. */
    public synchronized void done(long bytes, long nowNanos) {
        doneBytes += bytes;
        long[] last = marks.peekLast();
        if (nowNanos - last[0] >= MARK_NANOS) {
            marks.addLast(new long[] {nowNanos, doneBytes});
            while (marks.size() > MARKS) {
                marks.removeFirst();
            }
        }
    }

    /** Bytes done so far. */
    public synchronized long doneBytes() {
        return doneBytes;
    }

    /** Bytes the job covers. */
    public long totalBytes() {
        return totalBytes;
    }

    /** Done, 0 to 100. */
    public synchronized double percent() {
        return totalBytes == 0 ? 100.0 : Math.min(100.0, 100.0 * doneBytes / totalBytes);
    }

    /** The recent rate in KiB/s; empty before the first second. */
    public synchronized OptionalLong rateKiBPerSec(long nowNanos) {
        long[] first = marks.peekFirst();
        long elapsed = nowNanos - first[0];
        if (elapsed < MARK_NANOS / 2) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((long) ((doneBytes - first[1]) / 1024.0 / (elapsed / 1e9)));
    }

    /** Seconds left at the recent rate; empty while the rate is unknown or zero. */
    public synchronized OptionalLong etaSeconds(long nowNanos) {
        OptionalLong rate = rateKiBPerSec(nowNanos);
        if (rate.isEmpty() || rate.getAsLong() == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, (totalBytes - doneBytes) / 1024 / rate.getAsLong()));
    }

    /** The average rate since the start in KiB/s, for the log line at the end. */
    public synchronized long averageKiBPerSec(long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - startNanos) / 1e9);
        return (long) (doneBytes / 1024.0 / seconds);
    }

    /** {@link #percent()} as the optional status carries it. */
    public OptionalDouble donePercent() {
        return OptionalDouble.of(percent());
    }
}

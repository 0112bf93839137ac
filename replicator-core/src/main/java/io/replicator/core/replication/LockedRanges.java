package io.replicator.core.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * The ranges a resync or verify holds against application writes ({@link TransferLog#lockRange}): writes that
 * overlap one wait. Guarded by the transfer log's lock.
 */
final class LockedRanges {
    private record Range(int volume, long offset, long length) {
    }

    private final List<Range> ranges = new ArrayList<>();

    void add(int volume, long offset, long length) {
        ranges.add(new Range(volume, offset, length));
    }

    /** Releases a range taken with {@link #add} (same arguments); throws if it is not held. */
    void remove(int volume, long offset, long length) {
        if (!ranges.remove(new Range(volume, offset, length))) {
            throw new IllegalStateException("range " + volume + ":" + offset + "+" + length + " is not locked");
        }
    }

    /** Whether a held range overlaps {@code [offset, offset + length)} of {@code volume}. */
    boolean overlap(int volume, long offset, long length) {
        for (Range range : ranges) {
            if (range.volume() == volume && range.offset() < offset + length && offset < range.offset()
                + range.length()) {
                return true;
            }
        }
        return false;
    }
}

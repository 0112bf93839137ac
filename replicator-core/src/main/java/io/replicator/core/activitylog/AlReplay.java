package io.replicator.core.activitylog;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * What a replay of the activity-log ring found.
 *
 * @param alExtents     the hot-set size recorded by the newest transaction (0 when the ring is empty)
 * @param slotExtents   the extent of each slot, {@link AlTransactionDescriptor#EMPTY_EXTENT} when free
 * @param lastNumber    the newest transaction number (0 when none)
 * @param transactions  how many consecutive valid transactions were replayed
 */
public record AlReplay(int alExtents, int[] slotExtents, long lastNumber, int transactions) {
    public AlReplay {
        slotExtents = slotExtents.clone();
    }

    @Override
    public int[] slotExtents() {
        return slotExtents.clone();
    }

    /** The active extents, ascending, without duplicates. */
    public long[] activeExtents() {
        return IntStream.of(slotExtents).filter(e -> e != AlTransactionDescriptor.EMPTY_EXTENT)
            .distinct().sorted().asLongStream().toArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AlReplay that && alExtents == that.alExtents && lastNumber == that.lastNumber
            && transactions == that.transactions && Arrays.equals(slotExtents, that.slotExtents);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(slotExtents) + Long.hashCode(lastNumber);
    }

    @Override
    public String toString() {
        return "AlReplay[alExtents=" + alExtents + ", active=" + activeExtents().length + ", lastNumber=" + lastNumber
            + ", transactions=" + transactions + "]";
    }
}

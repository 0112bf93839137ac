package io.replicator.core.bitmap;

import io.replicator.core.testing.SeededTries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Random operation sequences against a {@link BitSet} model, seeded ({@link SeededTries}: the seed is printed, and
 * {@code -Dreplicator.seed=S} repeats a run).
 */
class DirtyBitmapPropertyTest {
    private static final int MAX_BLOCKS = 70_000;

    /** Operations are {kind 0..3 (set, clear, setRange, clearRange), a, b}, a and b in [0, 70 000]. */
    record Run(int blocks, int chunkWordsShift, List<int[]> operations) {
        @Override
        public String toString() {
            return "blocks " + blocks + ", chunkWordsShift " + chunkWordsShift + ", operations "
                + operations.stream().map(Arrays::toString).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    @Test
    @Timeout(120)
    void shouldMatchBitSetWhenApplyingRandomOperations() {
        List<int[]> extremes = List.of(new int[] {2, 0, MAX_BLOCKS}, new int[] {0, MAX_BLOCKS, 0},
            new int[] {0, 0, 0}, new int[] {3, MAX_BLOCKS, 1}, new int[] {1, 0, 0}, new int[] {2, 1, 1});
        SeededTries.check(300, List.of(
                new Run(0, 1, List.of()),
                new Run(0, 24, extremes),
                new Run(1, 1, extremes),
                new Run(MAX_BLOCKS, 1, extremes),
                new Run(MAX_BLOCKS, 24, extremes),
                new Run(64, 1, extremes),
                new Run(65, 1, extremes)),
            random -> new Run(random.nextInt(MAX_BLOCKS + 1), random.nextInt(1, 25), operations(random)),
            run -> {
                DirtyBitmap bitmap = new DirtyBitmap(run.blocks(), run.chunkWordsShift());
                BitSet model = new BitSet();
                for (int[] operation : run.operations()) {
                    apply(operation, run.blocks(), bitmap, model);
                }
                DirtyBitmapTest.assertSameBits(bitmap, model);
            });
    }

    /** Up to 40 operations. */
    static List<int[]> operations(SplittableRandom random) {
        List<int[]> operations = new ArrayList<>();
        for (int i = random.nextInt(41); i > 0; i--) {
            operations.add(new int[] {random.nextInt(4), random.nextInt(MAX_BLOCKS + 1),
                random.nextInt(MAX_BLOCKS + 1)});
        }
        return operations;
    }

    static void apply(int[] operation, int blocks, DirtyBitmap bitmap, BitSet model) {
        int a = operation[1] % (blocks + 1);
        int b = operation[2] % (blocks + 1);
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        switch (operation[0]) {
            case 0:
                if (a < blocks) {
                    bitmap.set(a);
                    model.set(a);
                }
                break;
            case 1:
                if (a < blocks) {
                    bitmap.clear(a);
                    model.clear(a);
                }
                break;
            case 2:
                bitmap.setRange(from, to);
                model.set(from, to);
                break;
            default:
                bitmap.clearRange(from, to);
                model.clear(from, to);
                break;
        }
    }
}

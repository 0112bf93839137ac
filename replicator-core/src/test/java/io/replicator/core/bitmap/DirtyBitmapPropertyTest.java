package io.replicator.core.bitmap;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.BitSet;
import java.util.List;

/**
 * Random operation sequences against a {@link BitSet} model. jqwik runs on its own engine, where JUnit's
 * {@code @Timeout} does not apply; the work is bounded by the try count and the sizes instead (well under a second).
 */
class DirtyBitmapPropertyTest {

    @Property(tries = 300)
    void shouldMatchBitSetWhenApplyingRandomOperations(
        @ForAll @IntRange(min = 0, max = 70_000) int blocks,
        @ForAll @IntRange(min = 1, max = 24) int chunkWordsShift,
        @ForAll("operations") List<int[]> operations) {
        DirtyBitmap bitmap = new DirtyBitmap(blocks, chunkWordsShift);
        BitSet model = new BitSet();
        for (int[] operation : operations) {
            apply(operation, blocks, bitmap, model);
        }
        DirtyBitmapTest.assertSameBits(bitmap, model);
    }

    @Provide
    Arbitrary<List<int[]>> operations() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 70_000),
                Arbitraries.integers().between(0, 70_000))
            .as((kind, a, b) -> new int[] {kind, a, b})
            .list().ofMaxSize(40);
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

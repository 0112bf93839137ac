package io.replicator.core.bitmap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.replicator.core.testing.SeededTries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trips of random bitmaps through chunked RLE, seeded ({@link SeededTries}: the seed is printed, and
 * {@code -Dreplicator.seed=S} repeats a run).
 */
class BitmapRlePropertyTest {
    private static final int MAX_BLOCKS = 20_000;
    private static final int MAX_MEAN_RUN = 200;
    private static final int MAX_CHUNK_BYTES = 64;

    /** A bitmap of {@code blocks} with runs from {@link #randomRuns}, sent in chunks of at most {@code maxBytes}. */
    record Chunked(int blocks, double density, int meanRun, int maxBytes, long seed) {
    }

    @Test
    @Timeout(60)
    void shouldRoundTripWhenEncodedInChunks() {
        int min = BitmapRle.MIN_CHUNK_BYTES;
        SeededTries.check(300, List.of(
                new Chunked(0, 0.5, 1, min, 0),
                new Chunked(1, 1.0, 1, min, 0),
                new Chunked(1, 0.0, 1, MAX_CHUNK_BYTES, 0),
                new Chunked(MAX_BLOCKS, 0.0, MAX_MEAN_RUN, min, 1),
                new Chunked(MAX_BLOCKS, 1.0, MAX_MEAN_RUN, min, 1),
                new Chunked(MAX_BLOCKS, 0.5, 1, min, -1),
                new Chunked(MAX_BLOCKS, 0.5, 1, MAX_CHUNK_BYTES, Long.MAX_VALUE),
                new Chunked(MAX_BLOCKS, 1.0, 1, MAX_CHUNK_BYTES, Long.MIN_VALUE)),
            random -> new Chunked(random.nextInt(MAX_BLOCKS + 1), random.nextDouble(),
                random.nextInt(1, MAX_MEAN_RUN + 1), random.nextInt(min, MAX_CHUNK_BYTES + 1), random.nextLong()),
            BitmapRlePropertyTest::roundTrip);
    }

    private static void roundTrip(Chunked run) {
        int blocks = run.blocks();
        int maxBytes = run.maxBytes();
        long seed = run.seed();
        double density = run.density();
        int meanRun = run.meanRun();
        DirtyBitmap source = new DirtyBitmap(blocks, 2);
        BitSet model = randomRuns(blocks, density, meanRun, new Random(seed));
        for (int b = model.nextSetBit(0); b >= 0; b = model.nextSetBit(b + 1)) {
            source.set(b);
        }
        DirtyBitmap target = new DirtyBitmap(blocks);
        ByteBuf chunk = Unpooled.buffer(maxBytes);
        try {
            long bit = 0;
            int chunks = 0;
            while (bit < blocks && chunks <= blocks) {
                chunk.clear();
                long next = BitmapRle.encode(source, bit, chunk, maxBytes);
                assertThat(chunk.readableBytes()).isLessThanOrEqualTo(maxBytes);
                assertThat(next).isGreaterThan(bit).isLessThanOrEqualTo(blocks);
                assertThat(BitmapRle.decodeOr(chunk, bit, target)).isEqualTo(next);
                assertThat(chunk.isReadable()).isFalse();
                bit = next;
                chunks++;
            }
            assertThat(bit).isEqualTo(blocks);
        } finally {
            chunk.release();
        }
        DirtyBitmapTest.assertSameBits(target, model);
    }

    /** Two bitmaps of {@code blocks} from {@link #randomRuns} with {@code new Random(seed)}. */
    record Pair(int blocks, long seed) {
    }

    @Test
    @Timeout(60)
    void shouldOrIntoExistingBitsWhenDecoding() {
        SeededTries.check(100, List.of(new Pair(1, 0), new Pair(1, 1), new Pair(5_000, 0), new Pair(5_000, -1)),
            random -> new Pair(random.nextInt(1, 5_001), random.nextLong()),
            BitmapRlePropertyTest::orInto);
    }

    private static void orInto(Pair pair) {
        int blocks = pair.blocks();
        Random random = new Random(pair.seed());
        BitSet ours = randomRuns(blocks, 0.3, 20, random);
        BitSet theirs = randomRuns(blocks, 0.3, 20, random);
        DirtyBitmap local = new DirtyBitmap(blocks);
        DirtyBitmap peer = new DirtyBitmap(blocks);
        ours.stream().forEach(local::set);
        theirs.stream().forEach(peer::set);
        ByteBuf wire = Unpooled.buffer();
        try {
            long bit = 0;
            while (bit < blocks) {
                wire.clear();
                long next = BitmapRle.encode(peer, bit, wire, 4096);
                BitmapRle.decodeOr(wire, bit, local);
                bit = next;
            }
        } finally {
            wire.release();
        }
        BitSet union = (BitSet) ours.clone();
        union.or(theirs);
        DirtyBitmapTest.assertSameBits(local, union);
    }

    /** Alternating runs with geometric-ish lengths around {@code meanRun}, dirty with probability {@code density}. */
    static BitSet randomRuns(int blocks, double density, int meanRun, Random random) {
        BitSet bits = new BitSet(blocks);
        int b = 0;
        while (b < blocks) {
            int length = 1 + random.nextInt(2 * meanRun);
            if (random.nextDouble() < density) {
                bits.set(b, Math.min(blocks, b + length));
            }
            b += length;
        }
        return bits;
    }
}

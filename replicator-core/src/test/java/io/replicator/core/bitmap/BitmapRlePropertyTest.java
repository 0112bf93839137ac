package io.replicator.core.bitmap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.BitSet;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trips of random bitmaps through chunked RLE. jqwik runs on its own engine, where JUnit's {@code @Timeout}
 * does not apply; the work is bounded by the try count and the sizes instead.
 */
class BitmapRlePropertyTest {

    @Property(tries = 300)
    void shouldRoundTripWhenEncodedInChunks(
        @ForAll @IntRange(min = 0, max = 20_000) int blocks,
        @ForAll @DoubleRange(min = 0.0, max = 1.0) double density,
        @ForAll @IntRange(min = 1, max = 200) int meanRun,
        @ForAll @IntRange(min = BitmapRle.MIN_CHUNK_BYTES, max = 64) int maxBytes,
        @ForAll long seed) {
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

    @Property(tries = 100)
    void shouldOrIntoExistingBitsWhenDecoding(
        @ForAll @IntRange(min = 1, max = 5_000) int blocks,
        @ForAll long seed) {
        Random random = new Random(seed);
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

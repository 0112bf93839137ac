package io.replicator.core.bitmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirtyBitmapTest {

    @Test
    void shouldStartCleanWhenCreated() {
        DirtyBitmap bitmap = new DirtyBitmap(1000);
        assertThat(bitmap.cardinality()).isZero();
        assertThat(bitmap.nextSetBit(0)).isEqualTo(-1);
        assertThat(bitmap.nextClearBit(0)).isZero();
        assertThat(bitmap.nextDirtyPage(0)).isEqualTo(-1);
        assertThat(bitmap.pageCount()).isEqualTo(1);
    }

    @Test
    void shouldSetGetAndClearSingleBlocksWhenAtWordAndPageBoundaries() {
        long blocks = 3L * DirtyBitmap.BLOCKS_PER_PAGE + 77; // last word partial
        DirtyBitmap bitmap = new DirtyBitmap(blocks, 2);
        long[] edges = {0, 63, 64, 127, 128, DirtyBitmap.BLOCKS_PER_PAGE - 1, DirtyBitmap.BLOCKS_PER_PAGE,
            2L * DirtyBitmap.BLOCKS_PER_PAGE + 1, blocks - 1};
        for (long block : edges) {
            bitmap.set(block);
            bitmap.set(block); // idempotent
        }
        for (long block : edges) {
            assertThat(bitmap.get(block)).as("block %d", block).isTrue();
        }
        assertThat(bitmap.get(1)).isFalse();
        assertThat(bitmap.get(65)).isFalse();
        assertThat(bitmap.cardinality()).isEqualTo(edges.length);
        for (long block : edges) {
            bitmap.clear(block);
            bitmap.clear(block);
        }
        assertThat(bitmap.cardinality()).isZero();
        assertThat(bitmap.nextSetBit(0)).isEqualTo(-1);
    }

    @Test
    void shouldRejectBlocksWhenOutsideTheBitmap() {
        DirtyBitmap bitmap = new DirtyBitmap(100);
        assertThatThrownBy(() -> bitmap.set(100)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bitmap.set(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bitmap.get(100)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bitmap.setRange(5, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bitmap.setRange(0, 101)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bitmap.nextSetBit(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new DirtyBitmap(DirtyBitmap.MAX_BLOCKS + 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDoNothingWhenRangeIsEmpty() {
        DirtyBitmap bitmap = new DirtyBitmap(200);
        bitmap.setRange(64, 64);
        bitmap.setRange(200, 200);
        assertThat(bitmap.cardinality()).isZero();
        assertThat(bitmap.nextDirtyPage(0)).isEqualTo(-1);
        bitmap.setAll();
        bitmap.clearRange(7, 7);
        assertThat(bitmap.cardinality()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 63, 64, 65, 130, 32768, 32769, 100_000})
    void shouldMatchBitSetWhenSettingAndClearingRanges(long blocks) {
        DirtyBitmap bitmap = new DirtyBitmap(blocks, 1);
        BitSet model = new BitSet();
        Random random = new Random(blocks);
        for (int i = 0; i < 200; i++) {
            long a = (long) (random.nextDouble() * (blocks + 1));
            long b = (long) (random.nextDouble() * (blocks + 1));
            long from = Math.min(a, b);
            long to = Math.max(a, b);
            if (random.nextBoolean()) {
                bitmap.setRange(from, to);
                model.set((int) from, (int) to);
            } else {
                bitmap.clearRange(from, to);
                model.clear((int) from, (int) to);
            }
        }
        assertSameBits(bitmap, model);
    }

    @Test
    void shouldCoverTheLastPartialWordWhenSettingAll() {
        DirtyBitmap bitmap = new DirtyBitmap(130);
        bitmap.setAll();
        assertThat(bitmap.cardinality()).isEqualTo(130);
        assertThat(bitmap.nextClearBit(0)).isEqualTo(130);
        assertThat(bitmap.nextSetBit(129)).isEqualTo(129);
        assertThat(bitmap.nextSetBit(130)).isEqualTo(-1);
        bitmap.clearAll();
        assertThat(bitmap.cardinality()).isZero();
    }

    @Test
    void shouldReportTheEndWhenNoClearBitRemains() {
        DirtyBitmap bitmap = new DirtyBitmap(128, 1);
        bitmap.setAll();
        assertThat(bitmap.nextClearBit(0)).isEqualTo(128);
        assertThat(bitmap.nextClearBit(500)).isEqualTo(128);
        assertThat(bitmap.nextSetBit(500)).isEqualTo(-1);
    }

    @Test
    void shouldVisitEveryRunWhenIteratingRuns() {
        DirtyBitmap bitmap = new DirtyBitmap(1000, 1);
        bitmap.setRange(0, 3);
        bitmap.set(64);
        bitmap.setRange(127, 300);
        bitmap.setRange(990, 1000);
        List<long[]> runs = new ArrayList<>();
        bitmap.forEachRun((start, end) -> runs.add(new long[] {start, end}));
        assertThat(runs).containsExactly(
            new long[] {0, 3}, new long[] {64, 65}, new long[] {127, 300}, new long[] {990, 1000});
    }

    @Test
    void shouldConvertBytesToBlocksWhenGivenByteRanges() {
        assertThat(DirtyBitmap.blocksFor(0)).isZero();
        assertThat(DirtyBitmap.blocksFor(1)).isEqualTo(1);
        assertThat(DirtyBitmap.blocksFor(1L << 40)).isEqualTo(1L << 28);
        assertThat(DirtyBitmap.blockOf(8191)).isEqualTo(1);
        assertThat(DirtyBitmap.offsetBytesOf(3)).isEqualTo(12288);
        DirtyBitmap bitmap = new DirtyBitmap(10);
        bitmap.setBytes(4095, 2); // straddles blocks 0 and 1
        assertThat(bitmap.nextSetBit(0)).isZero();
        assertThat(bitmap.nextClearBit(0)).isEqualTo(2);
    }

    @Test
    void shouldMarkOnlyChangedPagesDirtyWhenBitsChange() {
        DirtyBitmap bitmap = new DirtyBitmap(5L * DirtyBitmap.BLOCKS_PER_PAGE);
        bitmap.set(DirtyBitmap.BLOCKS_PER_PAGE + 5);
        bitmap.setRange(3L * DirtyBitmap.BLOCKS_PER_PAGE - 1, 3L * DirtyBitmap.BLOCKS_PER_PAGE + 1);
        assertThat(dirtyPages(bitmap)).containsExactly(1L, 2L, 3L);

        assertThat(bitmap.claimPage(2)).isTrue();
        assertThat(bitmap.claimPage(2)).isFalse();
        assertThat(bitmap.isPageDirty(2)).isFalse();

        bitmap.set(DirtyBitmap.BLOCKS_PER_PAGE + 5); // no change, no dirty page
        assertThat(bitmap.claimPage(1)).isTrue();
        bitmap.set(DirtyBitmap.BLOCKS_PER_PAGE + 5);
        assertThat(bitmap.isPageDirty(1)).isFalse();

        bitmap.clear(DirtyBitmap.BLOCKS_PER_PAGE + 5); // a clear is a change too
        assertThat(dirtyPages(bitmap)).containsExactly(1L, 3L);
    }

    @Test
    void shouldRoundTripPagesWhenCopiedAndLoaded() {
        DirtyBitmap source = new DirtyBitmap(DirtyBitmap.BLOCKS_PER_PAGE + 70);
        source.set(0);
        source.setRange(DirtyBitmap.BLOCKS_PER_PAGE, DirtyBitmap.BLOCKS_PER_PAGE + 70);
        ByteBuffer page = ByteBuffer.allocate(DirtyBitmap.PAGE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        source.copyPageTo(1, page);
        assertThat(page.position()).isEqualTo(DirtyBitmap.PAGE_BYTES);
        assertThat(page.get(0)).isEqualTo((byte) 0xFF); // little-endian: block 32768 is bit 0 of byte 0
        assertThat(page.get(8)).isEqualTo((byte) 0x3F);
        assertThat(page.get(9)).isZero();

        // Bits past the end in the stored page are ignored.
        page.put(9, (byte) 0xFF);
        page.flip();
        DirtyBitmap target = new DirtyBitmap(DirtyBitmap.BLOCKS_PER_PAGE + 70);
        target.loadPage(1, page);
        assertThat(target.cardinality()).isEqualTo(70);
        assertThat(target.nextSetBit(0)).isEqualTo(DirtyBitmap.BLOCKS_PER_PAGE);
        assertThat(target.nextDirtyPage(0)).isEqualTo(-1);
        assertThatThrownBy(() -> target.copyPageTo(0, ByteBuffer.allocate(DirtyBitmap.PAGE_BYTES)))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepExactBitsAndCardinalityWhenThreadsSetAndClearConcurrently() throws Exception {
        int threads = 4;
        long blocks = 4L * DirtyBitmap.BLOCKS_PER_PAGE;
        DirtyBitmap bitmap = new DirtyBitmap(blocks, 3);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(new Thread(() -> {
                await(start);
                for (int round = 0; round < 20; round++) {
                    // Disjoint interleaved bits: every thread hits every word.
                    for (long b = id; b < blocks; b += threads) {
                        bitmap.set(b);
                    }
                    // Overlapping range and single sets: all threads fight for the same words.
                    bitmap.setRange(100, 5000);
                    for (long b = 10_000; b < 12_000; b++) {
                        bitmap.set(b);
                    }
                    // Each thread clears only its own bits in the upper half, then sets them again.
                    for (long b = blocks / 2 + id; b < blocks; b += threads) {
                        bitmap.clear(b);
                    }
                    for (long b = blocks / 2 + id; b < blocks; b += threads) {
                        bitmap.set(b);
                    }
                }
                // Finally clear own bits of the second quarter.
                for (long b = blocks / 4 + id; b < blocks / 2; b += threads) {
                    bitmap.clear(b);
                }
            }));
        }
        workers.forEach(Thread::start);
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        BitSet model = new BitSet();
        model.set(0, (int) blocks);
        model.clear((int) (blocks / 4), (int) (blocks / 2));
        assertSameBits(bitmap, model);
    }

    static void assertSameBits(DirtyBitmap bitmap, BitSet model) {
        long blocks = bitmap.blockCount();
        assertThat(bitmap.cardinality()).isEqualTo(model.cardinality());
        for (int b = 0; b < blocks; b++) {
            if (bitmap.get(b) != model.get(b)) {
                throw new AssertionError("block " + b + ": bitmap " + bitmap.get(b) + ", model " + model.get(b));
            }
        }
        for (int b = 0; b <= blocks; b++) {
            long expectedSet = model.nextSetBit(b);
            assertThat(bitmap.nextSetBit(b)).as("nextSetBit(%d)", b)
                .isEqualTo(expectedSet >= blocks ? -1 : expectedSet);
            assertThat(bitmap.nextClearBit(b)).as("nextClearBit(%d)", b)
                .isEqualTo(Math.min(model.nextClearBit(b), blocks));
            if (blocks > 2000) {
                b += 61; // sample large bitmaps
            }
        }
        List<long[]> runs = new ArrayList<>();
        bitmap.forEachRun((start, end) -> runs.add(new long[] {start, end}));
        List<long[]> expected = new ArrayList<>();
        for (int s = model.nextSetBit(0); s >= 0; s = model.nextSetBit(model.nextClearBit(s))) {
            expected.add(new long[] {s, model.nextClearBit(s)});
        }
        assertThat(runs).containsExactlyElementsOf(expected);
    }

    private static List<Long> dirtyPages(DirtyBitmap bitmap) {
        List<Long> pages = new ArrayList<>();
        for (long p = bitmap.nextDirtyPage(0); p >= 0; p = bitmap.nextDirtyPage(p + 1)) {
            pages.add(p);
        }
        return pages;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.replicator.core.bitmap;

import io.replicator.core.testing.HeapVolume;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BitmapStoreTest {
    private static final int PAGE_BLOCKS = DirtyBitmap.BLOCKS_PER_PAGE;
    /** 100 pages and a bit: the last page is partial and the batches of 32 pages do not divide it. */
    private static final long VOLUME_BYTES = (100L * PAGE_BLOCKS + 1000) * DirtyBitmap.BLOCK_BYTES;
    private static final int MAX_PEERS = 3;

    @Test
    void shouldSizeTheRegionWhenGivenVolumeAndPeers() {
        assertThat(BitmapDescriptor.slotBytes(0)).isZero();
        assertThat(BitmapDescriptor.slotBytes(1)).isEqualTo(4096);
        assertThat(BitmapDescriptor.slotBytes(128L << 20)).isEqualTo(4096); // 128 MiB = exactly one page
        assertThat(BitmapDescriptor.slotBytes((128L << 20) + 1)).isEqualTo(8192);
        assertThat(BitmapDescriptor.regionBytes(1L << 40, 2)).isEqualTo(64L << 20); // 32 MiB per TiB per slot
        assertThat(BitmapDescriptor.regionBytes(1L << 50, 1)).isEqualTo(32L << 30);
        assertThat(BitmapDescriptor.regionBytes(VOLUME_BYTES, MAX_PEERS)).isEqualTo(3L * 101 * 4096);
        assertThatThrownBy(() -> BitmapDescriptor.regionBytes(1L << 40, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BitmapDescriptor.slotBytes((1L << 50) + 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectTheRegionWhenTooSmall() {
        HeapVolume region = new HeapVolume(4096);
        assertThatThrownBy(() -> new BitmapStore(region, VOLUME_BYTES, MAX_PEERS))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("smaller");
    }

    @Test
    void shouldRoundTripAllSlotsWhenWrittenAndLoaded() throws IOException {
        HeapVolume region = newRegion();
        BitmapStore store = new BitmapStore(region, VOLUME_BYTES, MAX_PEERS);
        BitSet[] models = new BitSet[MAX_PEERS];
        for (int slot = 0; slot < MAX_PEERS; slot++) {
            models[slot] = BitmapRlePropertyTest.randomRuns((int) store.bitmap(slot).blockCount(), 0.01 * (slot + 1),
                500, new java.util.Random(slot));
            BitSet model = models[slot];
            DirtyBitmap bitmap = store.bitmap(slot);
            model.stream().forEach(bitmap::set);
        }
        store.writeOutDirtyPages();

        BitmapStore reopened = new BitmapStore(region, VOLUME_BYTES, MAX_PEERS);
        reopened.load();
        for (int slot = 0; slot < MAX_PEERS; slot++) {
            DirtyBitmapTest.assertSameBits(reopened.bitmap(slot), models[slot]);
            assertThat(reopened.bitmap(slot).nextDirtyPage(0)).isEqualTo(-1);
        }
    }

    @Test
    void shouldPlaceBitsAtTheDocumentedOffsetsWhenWritten() throws IOException {
        HeapVolume region = newRegion();
        BitmapStore store = new BitmapStore(region, VOLUME_BYTES, MAX_PEERS);
        store.bitmap(1).set(9);                 // slot 1, byte 1, bit 1
        store.bitmap(2).set(PAGE_BLOCKS + 64);  // slot 2, page 1, word 1, bit 0
        store.writeOutAll();
        long slotBytes = BitmapDescriptor.slotBytes(VOLUME_BYTES);
        byte[] bytes = region.bytes();
        assertThat(bytes[(int) slotBytes + 1]).isEqualTo((byte) 0x02);
        assertThat(bytes[(int) (2 * slotBytes) + 4096 + 8]).isEqualTo((byte) 0x01);
        int nonZero = 0;
        for (byte b : bytes) {
            nonZero += b != 0 ? 1 : 0;
        }
        assertThat(nonZero).isEqualTo(2);
    }

    @Test
    void shouldWriteOnlyDirtyPagesWhenWritingOutLazily() throws IOException {
        HeapVolume region = newRegion();
        BitmapStore store = new BitmapStore(region, VOLUME_BYTES, MAX_PEERS);
        store.bitmap(0).set(5);
        store.bitmap(0).set(PAGE_BLOCKS + 5);       // adjacent page: same write
        store.bitmap(0).set(50L * PAGE_BLOCKS);      // separate write
        store.bitmap(2).set(100L * PAGE_BLOCKS + 999); // the partial last page of another slot
        assertThat(store.writeOutDirtyPages()).isEqualTo(4);
        assertThat(region.writeCount()).isEqualTo(3);
        assertThat(store.writeOutDirtyPages()).isZero();
        assertThat(region.writeCount()).isEqualTo(3);
    }

    @Test
    void shouldWriteOnlyPagesCoveringTheRangeWhenHinted() throws IOException {
        HeapVolume region = newRegion();
        BitmapStore store = new BitmapStore(region, VOLUME_BYTES, MAX_PEERS);
        DirtyBitmap bitmap = store.bitmap(1);
        bitmap.set(3L * PAGE_BLOCKS);
        bitmap.set(4L * PAGE_BLOCKS + 17);
        bitmap.set(9L * PAGE_BLOCKS);
        store.bitmap(0).set(4L * PAGE_BLOCKS);

        assertThat(store.writeOutBlocks(1, 3L * PAGE_BLOCKS + 10, 4L * PAGE_BLOCKS + 1)).isEqualTo(2);
        assertThat(store.writeOutBlocks(1, 5, 5)).isZero();
        assertThat(bitmap.isPageDirty(9)).isTrue();
        assertThat(store.bitmap(0).isPageDirty(4)).isTrue();
        assertThat(store.writeOutBlocks(4L * PAGE_BLOCKS, 10L * PAGE_BLOCKS)).isEqualTo(2);
        assertThat(store.writeOutDirtyPages()).isZero();
        assertThatThrownBy(() -> store.writeOutBlocks(1, 0, bitmap.blockCount() + 1))
            .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldKeepPagesDirtyWhenTheWriteFails() throws IOException {
        HeapVolume region = newRegion();
        BitmapStore store = new BitmapStore(region, VOLUME_BYTES, MAX_PEERS);
        store.bitmap(0).set(5);
        region.failNextWrite();
        assertThatThrownBy(store::writeOutDirtyPages).isInstanceOf(IOException.class);
        assertThat(store.bitmap(0).isPageDirty(0)).isTrue();
        assertThat(store.writeOutDirtyPages()).isEqualTo(1);
    }

    @Test
    void shouldPersistFullSyncWhenSettingAndClearingAll() throws IOException {
        HeapVolume region = newRegion();
        BitmapStore store = new BitmapStore(region, VOLUME_BYTES, MAX_PEERS);
        store.setAll(2);
        BitmapStore reopened = new BitmapStore(region, VOLUME_BYTES, MAX_PEERS);
        reopened.load();
        long blocks = reopened.bitmap(2).blockCount();
        assertThat(reopened.bitmap(2).cardinality()).isEqualTo(blocks);
        assertThat(reopened.bitmap(1).cardinality()).isZero();

        reopened.clearAll(2);
        BitmapStore again = new BitmapStore(region, VOLUME_BYTES, MAX_PEERS);
        again.bitmap(2).set(7); // load replaces what was in memory
        again.load();
        assertThat(again.bitmap(2).cardinality()).isZero();
    }

    private static HeapVolume newRegion() {
        return new HeapVolume((int) BitmapDescriptor.regionBytes(VOLUME_BYTES, MAX_PEERS) + 4096);
    }
}

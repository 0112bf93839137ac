package io.replicator.core.bitmap;

import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Persists the bitmaps of all peer slots of one volume into a region of the metadata area, laid out as
 * {@link BitmapDescriptor} says.
 *
 * <p>Writes only: every method that writes leaves durability to the caller, who calls {@link Volume#flush()} when
 * the protocol needs it (before an activity-log transaction, at detach, at the end of a resync). Losing a write of
 * cleared bits only costs extra resync; losing set bits is prevented by the activity log, not here.
 *
 * <p>Writeouts are serialised by this object's monitor and go through one reusable direct buffer of
 * {@value #BATCH_PAGES} pages, so adjacent dirty pages become one volume write and steady state allocates nothing.
 * Writers keep setting bits concurrently; a page changed during its writeout stays dirty for the next one.
 */
public final class BitmapStore {
    /** Pages coalesced into one volume write. */
    static final int BATCH_PAGES = 32;

    private final Volume region;
    private final long slotBytes;
    private final DirtyBitmap[] bitmaps;
    private final ByteBuffer batch;
    private int batchSlot;
    private long batchFirstPage;
    private int batchPages;
    /** Whether the pages in the batch were claimed dirty, so a failed write must mark them dirty again. */
    private boolean batchClaimed;

    /**
     * A store over {@code region}, which must hold {@link BitmapDescriptor#regionBytes}({@code volumeSizeBytes},
     * {@code maxPeers}) bytes. The bitmaps start clean; call {@link #load()} for existing metadata or
     * {@link #writeOutAll()} for new metadata.
     */
    public BitmapStore(Volume region, long volumeSizeBytes, int maxPeers) {
        long regionBytes = BitmapDescriptor.regionBytes(volumeSizeBytes, maxPeers);
        if (region.sizeBytes() < regionBytes) {
            throw new IllegalArgumentException("bitmap region of " + region.sizeBytes() + " bytes is smaller than the "
                + regionBytes + " bytes needed for " + maxPeers + " slots of a " + volumeSizeBytes + "-byte volume");
        }
        this.region = region;
        this.slotBytes = BitmapDescriptor.slotBytes(volumeSizeBytes);
        this.bitmaps = new DirtyBitmap[maxPeers];
        long blocks = DirtyBitmap.blocksFor(volumeSizeBytes);
        for (int slot = 0; slot < maxPeers; slot++) {
            bitmaps[slot] = new DirtyBitmap(blocks);
        }
        this.batch = ByteBuffer.allocateDirect(BATCH_PAGES * BitmapDescriptor.PAGE_BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Number of peer slots. */
    public int maxPeers() {
        return bitmaps.length;
    }

    /** The live bitmap of {@code slot}; writers set bits in it directly. */
    public DirtyBitmap bitmap(int slot) {
        return bitmaps[checkSlot(slot)];
    }

    /** Replaces every slot's bits with the region's contents (attach of existing metadata). */
    public synchronized void load() throws IOException {
        for (int slot = 0; slot < bitmaps.length; slot++) {
            DirtyBitmap bitmap = bitmaps[slot];
            long pageCount = bitmap.pageCount();
            for (long first = 0; first < pageCount; first += BATCH_PAGES) {
                int pages = (int) Math.min(BATCH_PAGES, pageCount - first);
                batch.clear().limit(pages * BitmapDescriptor.PAGE_BYTES);
                region.read(batch, BitmapDescriptor.pageOffsetBytes(slotBytes, slot, first));
                batch.flip();
                for (int k = 0; k < pages; k++) {
                    bitmap.loadPage(first + k, batch);
                }
            }
        }
        batch.clear();
    }

    /** Lazy writeout: writes every dirty page of every slot. Returns the number of pages written. */
    public synchronized long writeOutDirtyPages() throws IOException {
        long written = 0;
        for (int slot = 0; slot < bitmaps.length; slot++) {
            DirtyBitmap bitmap = bitmaps[slot];
            for (long page = bitmap.nextDirtyPage(0); page >= 0; page = bitmap.nextDirtyPage(page + 1)) {
                if (bitmap.claimPage(page)) {
                    append(slot, page, true);
                    written++;
                }
            }
            writeBatch();
        }
        return written;
    }

    /**
     * Hinted writeout: writes the dirty pages of {@code slot} that cover {@code [fromBlock, toBlockExclusive)}, as
     * needed before an activity-log extent is evicted. Returns the number of pages written.
     */
    public synchronized long writeOutBlocks(int slot, long fromBlock, long toBlockExclusive) throws IOException {
        DirtyBitmap bitmap = bitmaps[checkSlot(slot)];
        if (fromBlock < 0 || fromBlock > toBlockExclusive || toBlockExclusive > bitmap.blockCount()) {
            throw new IndexOutOfBoundsException("block range [" + fromBlock + ", " + toBlockExclusive
                + ") outside [0, " + bitmap.blockCount() + ")");
        }
        if (fromBlock == toBlockExclusive) {
            return 0;
        }
        long written = 0;
        long lastPage = (toBlockExclusive - 1) / DirtyBitmap.BLOCKS_PER_PAGE;
        for (long page = fromBlock / DirtyBitmap.BLOCKS_PER_PAGE; page <= lastPage; page++) {
            if (bitmap.claimPage(page)) {
                append(slot, page, true);
                written++;
            }
        }
        writeBatch();
        return written;
    }

    /** Hinted writeout of {@code [fromBlock, toBlockExclusive)} for every slot. Returns the number of pages written. */
    public synchronized long writeOutBlocks(long fromBlock, long toBlockExclusive) throws IOException {
        long written = 0;
        for (int slot = 0; slot < bitmaps.length; slot++) {
            written += writeOutBlocks(slot, fromBlock, toBlockExclusive);
        }
        return written;
    }

    /** Writes every page of every slot, dirty or not (create-md, detach after a full sync). */
    public synchronized void writeOutAll() throws IOException {
        for (int slot = 0; slot < bitmaps.length; slot++) {
            writeOutSlot(slot);
        }
    }

    /** Full sync towards {@code slot}: marks every block dirty and writes the whole slot. */
    public synchronized void setAll(int slot) throws IOException {
        bitmaps[checkSlot(slot)].setAll();
        writeOutSlot(slot);
    }

    /** Marks every block of {@code slot} clean (the peer is known identical) and writes the whole slot. */
    public synchronized void clearAll(int slot) throws IOException {
        bitmaps[checkSlot(slot)].clearAll();
        writeOutSlot(slot);
    }

    private void writeOutSlot(int slot) throws IOException {
        DirtyBitmap bitmap = bitmaps[slot];
        for (long page = 0, pageCount = bitmap.pageCount(); page < pageCount; page++) {
            // Claimed so that a concurrent change after the copy keeps the page dirty; written whatever the answer.
            append(slot, page, bitmap.claimPage(page));
        }
        writeBatch();
    }

    /** Adds a page to the batch, writing the batch first when the page does not extend it. */
    private void append(int slot, long page, boolean claimed) throws IOException {
        if (batchPages > 0 && (slot != batchSlot || page != batchFirstPage + batchPages || batchPages == BATCH_PAGES)) {
            writeBatch();
        }
        if (batchPages == 0) {
            batchSlot = slot;
            batchFirstPage = page;
            batchClaimed = false;
        }
        bitmaps[slot].copyPageTo(page, batch);
        batchPages++;
        batchClaimed |= claimed;
    }

    private void writeBatch() throws IOException {
        if (batchPages == 0) {
            return;
        }
        batch.flip();
        try {
            region.write(batch, BitmapDescriptor.pageOffsetBytes(slotBytes, batchSlot, batchFirstPage));
        } catch (IOException | RuntimeException e) {
            if (batchClaimed) {
                // Marking unclaimed pages too is harmless: it only costs one more writeout.
                for (int k = 0; k < batchPages; k++) {
                    bitmaps[batchSlot].markPageDirty(batchFirstPage + k);
                }
            }
            throw e;
        } finally {
            batch.clear();
            batchPages = 0;
        }
    }

    private int checkSlot(int slot) {
        if (slot < 0 || slot >= bitmaps.length) {
            throw new IndexOutOfBoundsException("slot " + slot + " outside [0, " + bitmaps.length + ")");
        }
        return slot;
    }
}

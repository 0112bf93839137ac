package io.replicator.core.bitmap;

/**
 * On-disk layout of the bitmap region of one volume, version {@value #VERSION}: the bitmaps of all peer slots, one
 * after the other.
 *
 * <pre>
 * region offset 0                 slotBytes               2 * slotBytes           maxPeers * slotBytes
 * +-----------------------------+-----------------------+-----+-----------------------+
 * | slot 0                      | slot 1                | ... | slot maxPeers - 1     |
 * +-----------------------------+-----------------------+-----+-----------------------+
 *
 * one slot = pageCount pages of 4096 bytes; slotBytes = ceil(blocks / 8) rounded up to 4 KiB
 * +----------------------+----------------------+-----+
 * | page 0               | page 1               | ... |
 * +----------------------+----------------------+-----+
 *
 * one page = 512 little-endian 64-bit words = 32768 bits
 *  byte 0       8       16                                 4088      4096
 * +-------+-------+-------+-- ... --+-------+
 * | w0    | w1    | w2    |         | w511  |   word w of the slot = page * 512 + w
 * +-------+-------+-------+-- ... --+-------+
 *
 * bit b of the bitmap (block b, bytes [b * 4096, (b + 1) * 4096) of the volume):
 *   word b / 64, bit b % 64 of that word (bit 0 = least significant), so byte b / 8, bit b % 8 of the slot.
 *   1 = the block may differ from that peer and needs resync. Bits past the last block are 0.
 * </pre>
 *
 * <p>Why contiguous slots and not DRBD 9's per-32-bit-word interleaving: a slot's pages are then the same bytes as
 * its in-memory words, so a lazy writeout of one peer's dirty page is one 4 KiB write and never needs the other
 * slots' words. The cost is that growing {@code maxPeers} or the volume moves slots, which needs a metadata rewrite
 * anyway. The version lives in the superblock, which owns it; this class only says what version {@value #VERSION}
 * means.
 */
public final class BitmapDescriptor {
    /** Layout version described here. */
    public static final int VERSION = 1;
    /** Bytes per page, the unit of writeout. */
    public static final int PAGE_BYTES = DirtyBitmap.PAGE_BYTES;
    /** Largest number of peer slots one region can hold. */
    public static final int MAX_PEERS = 31;
    /** Largest volume whose bitmap this layout describes: 1 PiB. */
    public static final long MAX_VOLUME_BYTES = DirtyBitmap.MAX_BLOCKS << DirtyBitmap.BLOCK_SHIFT;

    private BitmapDescriptor() {
    }

    /** Bytes of one slot for a volume of {@code volumeSizeBytes}: a whole number of pages. */
    public static long slotBytes(long volumeSizeBytes) {
        checkVolumeSize(volumeSizeBytes);
        long blocks = DirtyBitmap.blocksFor(volumeSizeBytes);
        long pages = (blocks + DirtyBitmap.BLOCKS_PER_PAGE - 1) / DirtyBitmap.BLOCKS_PER_PAGE;
        return pages * PAGE_BYTES;
    }

    /** Bytes the metadata layout must reserve for the bitmaps of {@code maxPeers} slots. */
    public static long regionBytes(long volumeSizeBytes, int maxPeers) {
        checkMaxPeers(maxPeers);
        return slotBytes(volumeSizeBytes) * maxPeers;
    }

    /** Offset of {@code page} of {@code slot} inside the region. */
    public static long pageOffsetBytes(long slotBytes, int slot, long page) {
        return slot * slotBytes + page * PAGE_BYTES;
    }

    public static void checkVolumeSize(long volumeSizeBytes) {
        if (volumeSizeBytes < 0 || volumeSizeBytes > MAX_VOLUME_BYTES) {
            throw new IllegalArgumentException(
                "volume size " + volumeSizeBytes + " bytes outside [0, " + MAX_VOLUME_BYTES + "]");
        }
    }

    public static void checkMaxPeers(int maxPeers) {
        if (maxPeers < 1 || maxPeers > MAX_PEERS) {
            throw new IllegalArgumentException("maxPeers " + maxPeers + " outside [1, " + MAX_PEERS + "]");
        }
    }
}

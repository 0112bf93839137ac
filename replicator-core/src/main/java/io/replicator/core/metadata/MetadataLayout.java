package io.replicator.core.metadata;

import io.replicator.core.bitmap.BitmapDescriptor;

/**
 * Where data, bitmap, activity log and superblocks lie. All offsets are in bytes.
 *
 * <pre>
 * internal (metadata at the end of the backing storage, as DRBD):
 *   backing: [ data (dataSizeBytes) ][ bitmap ][ activity log ][ superblock A ][ superblock B ]
 *                                    ^ metadataStartBytes                     (last 8 KiB)
 * external (a separate file or device; the backing storage is all data):
 *   meta:    [ superblock A ][ superblock B ][ activity log ][ bitmap ]
 * </pre>
 *
 * <p>The bitmap holds one region per peer slot, each {@link #bitmapSlotBytes} long (one bit per 4 KiB block,
 * rounded up to whole 4 KiB pages). The metadata area is
 * {@code 8 KiB + alSizeBytes + maxPeers * bitmapSlotBytes}: 32 MiB per TiB per peer, as DRBD.
 *
 * @param internal           whether the metadata shares the backing storage with the data
 * @param dataSizeBytes      size of the replicated data area, a multiple of 4 KiB
 * @param maxPeers           number of peer slots (1..31)
 * @param metadataStartBytes offset of the metadata area in the volume that holds it (backing or external)
 * @param metadataSizeBytes  size of the metadata area
 * @param superblockOffsetBytes offset of superblock copy A inside the metadata area (B follows it)
 * @param alOffsetBytes      offset of the activity-log ring inside the metadata area
 * @param alSizeBytes        size of the activity-log ring
 * @param bitmapOffsetBytes  offset of the bitmap inside the metadata area
 * @param bitmapSlotBytes    size of one peer slot's bitmap region
 */
public record MetadataLayout(
    boolean internal,
    long dataSizeBytes,
    int maxPeers,
    long metadataStartBytes,
    long metadataSizeBytes,
    long superblockOffsetBytes,
    long alOffsetBytes,
    long alSizeBytes,
    long bitmapOffsetBytes,
    long bitmapSlotBytes) {

    /** Bytes covered by one bitmap bit. */
    public static final int BITMAP_BLOCK_BYTES = 4096;
    /** Superblock copies A and B. */
    public static final int SUPERBLOCK_AREA_BYTES = 2 * SuperblockDescriptor.SUPERBLOCK_BYTES;
    /** Default activity-log ring: 8 transactions of 4 KiB, as DRBD. */
    public static final long DEFAULT_AL_SIZE_BYTES = 32 * 1024;
    /** The largest volume we address: 1 PiB, as DRBD on 64-bit hosts. */
    public static final long MAX_DATA_SIZE_BYTES = 1L << 50;
    /** Peer slots at most: 32 nodes (DRBD_PEERS_MAX) less this one, as drbdmeta's --max-peers. */
    public static final int MAX_PEERS = BitmapDescriptor.MAX_PEERS;

    private static final int PAGE = 4096;

    public MetadataLayout {
        if (maxPeers < 1 || maxPeers > MAX_PEERS) {
            throw new IllegalArgumentException("max-peers " + maxPeers + " out of range [1.." + MAX_PEERS + "]");
        }
        if (dataSizeBytes <= 0 || dataSizeBytes % PAGE != 0 || dataSizeBytes > MAX_DATA_SIZE_BYTES) {
            throw new IllegalArgumentException("data size " + dataSizeBytes
                + " must be a positive multiple of 4 KiB of at most 1 PiB");
        }
        if (internal && metadataStartBytes < dataSizeBytes) {
            throw new IllegalArgumentException("internal metadata at " + metadataStartBytes
                + " would overlap the data area of " + dataSizeBytes + " bytes");
        }
    }

    /** Size of one peer slot's bitmap for a data area of {@code dataSizeBytes}: whole 4 KiB pages. */
    public static long bitmapSlotBytes(long dataSizeBytes) {
        return BitmapDescriptor.slotBytes(dataSizeBytes);
    }

    /** Size of the whole metadata area for a data area of {@code dataSizeBytes}. */
    public static long metadataSizeBytes(long dataSizeBytes, int maxPeers, long alSizeBytes) {
        return SUPERBLOCK_AREA_BYTES + alSizeBytes + maxPeers * bitmapSlotBytes(dataSizeBytes);
    }

    /** Layout of internal metadata whose data area is exactly {@code dataSizeBytes}, in a backing store just big enough. */
    public static MetadataLayout internalForDataSize(long dataSizeBytes, int maxPeers, long alSizeBytes) {
        return internal(dataSizeBytes, maxPeers, alSizeBytes,
            dataSizeBytes + metadataSizeBytes(dataSizeBytes, maxPeers, alSizeBytes));
    }

    /**
     * Layout of internal metadata filling a backing store of {@code backingSizeBytes}: the largest data area that
     * fits. The metadata area always ends at the end of the backing store, so that the superblocks are found there.
     */
    public static MetadataLayout internalForBackingSize(long backingSizeBytes, int maxPeers, long alSizeBytes) {
        long data = floorPage(backingSizeBytes - metadataSizeBytes(backingSizeBytes, maxPeers, alSizeBytes));
        if (data <= 0) {
            throw new IllegalArgumentException("backing storage of " + backingSizeBytes
                + " bytes is too small for internal metadata with " + maxPeers + " peer slot(s)");
        }
        // The estimate used the larger backing size, so it reserved at least enough; grow while a page still fits.
        while (data + PAGE + metadataSizeBytes(data + PAGE, maxPeers, alSizeBytes) <= backingSizeBytes) {
            data += PAGE;
        }
        return internal(Math.min(data, MAX_DATA_SIZE_BYTES), maxPeers, alSizeBytes, backingSizeBytes);
    }

    /**
     * Layout of internal metadata at the end of a backing store of {@code backingSizeBytes}, with a data area of
     * {@code dataSizeBytes} (which may be smaller than what fits, as DRBD's {@code disk { size }}).
     */
    public static MetadataLayout internal(long dataSizeBytes, int maxPeers, long alSizeBytes, long backingSizeBytes) {
        if (dataSizeBytes + metadataSizeBytes(dataSizeBytes, maxPeers, alSizeBytes) > backingSizeBytes) {
            throw new IllegalArgumentException("a data area of " + dataSizeBytes + " bytes plus its internal metadata ("
                + metadataSizeBytes(dataSizeBytes, maxPeers, alSizeBytes) + " bytes) does not fit in "
                + backingSizeBytes + " bytes of backing storage");
        }
        long slot = bitmapSlotBytes(dataSizeBytes);
        long mdSize = metadataSizeBytes(dataSizeBytes, maxPeers, alSizeBytes);
        long bitmapOffset = 0;
        long alOffset = bitmapOffset + maxPeers * slot;
        long superblockOffset = alOffset + alSizeBytes;
        return new MetadataLayout(true, dataSizeBytes, maxPeers, backingSizeBytes - mdSize, mdSize, superblockOffset,
            alOffset, alSizeBytes, bitmapOffset, slot);
    }

    /** Layout of external metadata for a data area of {@code dataSizeBytes}, starting at the meta volume's offset 0. */
    public static MetadataLayout external(long dataSizeBytes, int maxPeers, long alSizeBytes) {
        long slot = bitmapSlotBytes(dataSizeBytes);
        long alOffset = SUPERBLOCK_AREA_BYTES;
        long bitmapOffset = alOffset + alSizeBytes;
        return new MetadataLayout(false, dataSizeBytes, maxPeers, 0,
            metadataSizeBytes(dataSizeBytes, maxPeers, alSizeBytes), 0, alOffset, alSizeBytes, bitmapOffset, slot);
    }

    /** Backing-store bytes a file-backed volume needs for this layout (data plus internal metadata, if any). */
    public long backingSizeBytes() {
        return internal ? metadataStartBytes + metadataSizeBytes : dataSizeBytes;
    }

    /** Number of bitmap bits (4 KiB blocks) in the data area. */
    public long blockCount() {
        return ceilDiv(dataSizeBytes, BITMAP_BLOCK_BYTES);
    }

    private static long floorPage(long bytes) {
        return bytes - Math.floorMod(bytes, PAGE);
    }

    private static long ceilDiv(long value, long divisor) {
        return -Math.floorDiv(-value, divisor);
    }
}

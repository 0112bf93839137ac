package io.replicator.core.metadata;

import io.replicator.core.generation.GenerationIds;
import io.replicator.core.volume.Volume;
import io.replicator.core.volume.VolumeSlice;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One volume's backing storage opened with its metadata: the data area that is replicated, and the metadata areas
 * (superblocks, activity-log ring, bitmap) that internal metadata keeps at the end of the same store and external
 * metadata keeps in a volume of its own.
 *
 * <p>Owns both volumes and closes them.
 */
public final class BackingDisk implements AutoCloseable {
    private final Volume backing;
    private final Volume meta;
    private final MetadataStore store;
    private final VolumeSlice data;
    private final VolumeSlice activityLog;
    private final VolumeSlice bitmap;

    private BackingDisk(Volume backing, Volume meta, MetadataStore store) {
        MetadataLayout layout = store.current().layout();
        this.backing = backing;
        this.meta = meta;
        this.store = store;
        this.data = new VolumeSlice(backing, 0, layout.dataSizeBytes());
        this.activityLog = new VolumeSlice(meta, layout.metadataStartBytes() + layout.alOffsetBytes(),
            layout.alSizeBytes());
        this.bitmap = new VolumeSlice(meta, layout.metadataStartBytes() + layout.bitmapOffsetBytes(),
            (long) layout.maxPeers() * layout.bitmapSlotBytes());
    }

    /**
     * What create-md writes.
     *
     * @param nodeId        this node's id
     * @param peerNodeIds   the node ids of the configured peers, one slot each (more slots than peers stay free)
     * @param maxPeers      peer slots to reserve, at least {@code peerNodeIds.size()}
     * @param alExtents     the activity log's hot-set size
     * @param dataSizeBytes the data area's size, or 0 for all the backing storage leaves
     * @param deviceUuid    a random id for this volume's metadata
     */
    public record Format(int nodeId, List<Integer> peerNodeIds, int maxPeers, int alExtents, long dataSizeBytes,
                         long deviceUuid) {
        public Format {
            peerNodeIds = List.copyOf(peerNodeIds);
            if (maxPeers < peerNodeIds.size()) {
                throw new IllegalArgumentException("max-peers " + maxPeers + " is less than the "
                    + peerNodeIds.size() + " configured peers");
            }
        }
    }

    /** The layout {@code format} gets on these volumes ({@code externalMeta} empty for internal metadata). */
    public static MetadataLayout layoutFor(long backingSizeBytes, boolean internal, Format format) {
        long alSize = MetadataLayout.DEFAULT_AL_SIZE_BYTES;
        if (internal) {
            return format.dataSizeBytes() == 0
                ? MetadataLayout.internalForBackingSize(backingSizeBytes, format.maxPeers(), alSize)
                : MetadataLayout.internal(format.dataSizeBytes(), format.maxPeers(), alSize, backingSizeBytes);
        }
        long dataSize = format.dataSizeBytes() == 0 ? backingSizeBytes - backingSizeBytes % 4096 : format.dataSizeBytes();
        if (dataSize > backingSizeBytes) {
            throw new IllegalArgumentException("size " + dataSize + " exceeds the backing storage of "
                + backingSizeBytes + " bytes");
        }
        return MetadataLayout.external(dataSize, format.maxPeers(), alSize);
    }

    /**
     * Writes fresh metadata: zeroed bitmap and activity log, generation ids "just created", no flags set (the data
     * is Inconsistent until the initial sync or {@code new-current-uuid --clear-bitmap}).
     */
    public static BackingDisk create(Volume backing, Optional<Volume> externalMeta, Format format) throws IOException {
        Volume meta = externalMeta.orElse(backing);
        MetadataLayout layout = layoutFor(backing.sizeBytes(), externalMeta.isEmpty(), format);
        if (layout.metadataStartBytes() + layout.metadataSizeBytes() > meta.sizeBytes()) {
            throw new MetadataException("the meta-disk holds " + meta.sizeBytes() + " bytes but the metadata needs "
                + layout.metadataSizeBytes());
        }
        List<PeerSlot> peers = new ArrayList<>(layout.maxPeers());
        for (int slot = 0; slot < layout.maxPeers(); slot++) {
            peers.add(slot < format.peerNodeIds().size()
                ? new PeerSlot(format.peerNodeIds().get(slot), 0, PeerFlag.NODE_EXISTS.mask())
                : PeerSlot.EMPTY);
        }
        meta.discard(layout.metadataStartBytes(), layout.metadataSizeBytes());
        Superblock initial = new Superblock(0, format.deviceUuid(), format.nodeId(), format.alExtents(), 0, layout,
            GenerationIds.UUID_JUST_CREATED, peers, List.of());
        MetadataStore store = MetadataStore.format(meta, superblockOffset(layout), initial);
        return new BackingDisk(backing, meta, store);
    }

    /** Opens existing metadata; throws {@link MetadataException} when there is none or it does not fit the volumes. */
    public static BackingDisk open(Volume backing, Optional<Volume> externalMeta) throws IOException {
        Volume meta = externalMeta.orElse(backing);
        long copyA = superblockOffset(meta, externalMeta.isEmpty());
        MetadataStore store = MetadataStore.open(meta, copyA).orElseThrow(() -> new MetadataException(
            "no valid metadata found; run create-md first"));
        MetadataLayout layout = store.current().layout();
        if (layout.internal() != externalMeta.isEmpty()) {
            throw new MetadataException("the metadata on disk is " + (layout.internal() ? "internal" : "external")
                + " but the configuration says " + (externalMeta.isEmpty() ? "internal" : "external"));
        }
        if (layout.metadataStartBytes() + layout.metadataSizeBytes() > meta.sizeBytes()
            || layout.dataSizeBytes() > backing.sizeBytes()
            || (layout.internal() && layout.metadataStartBytes() < layout.dataSizeBytes())) {
            throw new MetadataException("the metadata describes a " + layout.dataSizeBytes()
                + "-byte data area that does not fit the backing storage of " + backing.sizeBytes() + " bytes");
        }
        return new BackingDisk(backing, meta, store);
    }

    /** Whether valid metadata is present. */
    public static boolean hasMetadata(Volume backing, Optional<Volume> externalMeta) throws IOException {
        Volume meta = externalMeta.orElse(backing);
        return MetadataStore.exists(meta, superblockOffset(meta, externalMeta.isEmpty()));
    }

    private static long superblockOffset(MetadataLayout layout) {
        return layout.metadataStartBytes() + layout.superblockOffsetBytes();
    }

    private static long superblockOffset(Volume meta, boolean internal) {
        return internal ? meta.sizeBytes() - MetadataLayout.SUPERBLOCK_AREA_BYTES : 0;
    }

    /**
     * Makes the data area durable before metadata or bitmap pages that vouch for it are written (drbd.md §6: data,
     * then metadata). With internal metadata the metadata's own flush covers the whole backing file; with an
     * external meta-disk it does not, so the data volume is flushed here — or a resync target could persist UpToDate,
     * or clear the bits of resynced blocks, while those blocks are still in the page cache (H7).
     */
    public void flushDataBeforeMetadata() throws IOException {
        if (meta != backing) {
            data.flush();
        }
    }

    /** The replicated data area. */
    public Volume data() {
        return data;
    }

    /** The activity-log ring. */
    public Volume activityLogArea() {
        return activityLog;
    }

    /** The bitmap area: one region per peer slot. */
    public Volume bitmapArea() {
        return bitmap;
    }

    /** The superblock store. */
    public MetadataStore metadata() {
        return store;
    }

    /** The layout recorded in the metadata. */
    public MetadataLayout layout() {
        return store.current().layout();
    }

    @Override
    public void close() throws IOException {
        try {
            backing.close();
        } finally {
            if (meta != backing) {
                meta.close();
            }
        }
    }
}

package io.replicator.core.metadata;

import io.replicator.core.config.VolumeConfig;
import io.replicator.core.volume.BackingStore;
import io.replicator.core.volume.Durability;
import io.replicator.core.volume.FileVolume;
import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens the storage a configured volume names: its backing file or device and, for external metadata, the meta
 * file or device. The one place that decides when a missing backing file may be created.
 */
public final class VolumeStorage {
    private VolumeStorage() {
    }

    /**
     * Writes fresh metadata for {@code volume}. A missing file-backed disk is created (sparse) at the size that
     * holds {@code disk { size }} of data plus its internal metadata; a missing external meta file likewise.
     *
     * @throws MetadataException when the storage cannot hold the data and metadata, or has no size to create with
     */
    public static BackingDisk create(VolumeConfig volume, BackingDisk.Format format) throws IOException {
        if (volume.diskless()) {
            throw new MetadataException("volume " + volume.number() + " is diskless ('disk none'): it has no metadata");
        }
        Path diskPath = Path.of(volume.disk());
        Volume backing;
        if (Files.exists(diskPath)) {
            backing = BackingStore.open(diskPath, volume.durability());
        } else if (format.dataSizeBytes() > 0) {
            long bytes = volume.metaDisk().internal()
                ? MetadataLayout.internalForDataSize(format.dataSizeBytes(), format.maxPeers(),
                    MetadataLayout.DEFAULT_AL_SIZE_BYTES).backingSizeBytes()
                : format.dataSizeBytes();
            createParent(diskPath);
            backing = FileVolume.create(diskPath, bytes, volume.durability());
        } else {
            throw new MetadataException("disk " + diskPath + " does not exist; create it, or set 'disk { size N; }' "
                + "so that create-md creates a file of that size");
        }
        try {
            Optional<Volume> meta = openMeta(volume, format, backing.sizeBytes(), true);
            return BackingDisk.create(backing, meta, format);
        } catch (IOException | RuntimeException failure) {
            backing.close();
            throw failure;
        }
    }

    /** Opens {@code volume}'s storage and existing metadata. */
    public static BackingDisk open(VolumeConfig volume) throws IOException {
        Volume backing = openExisting(volume.disk(), "disk", volume.durability());
        try {
            Optional<Volume> meta = volume.metaDisk().internal() ? Optional.empty()
                : Optional.of(openExisting(volume.metaDisk().path().orElseThrow(), "meta-disk", Durability.FORCE));
            return BackingDisk.open(backing, meta);
        } catch (IOException | RuntimeException failure) {
            backing.close();
            throw failure;
        }
    }

    /** Whether {@code volume} already has valid metadata (false when its storage does not exist yet). */
    public static boolean hasMetadata(VolumeConfig volume) throws IOException {
        if (volume.diskless() || !Files.exists(Path.of(volume.disk()))) {
            return false;
        }
        if (!volume.metaDisk().internal() && !Files.exists(Path.of(volume.metaDisk().path().orElseThrow()))) {
            return false;
        }
        try (Volume backing = BackingStore.open(Path.of(volume.disk()), Durability.FORCE)) {
            if (volume.metaDisk().internal()) {
                return BackingDisk.hasMetadata(backing, Optional.empty());
            }
            try (Volume meta = BackingStore.open(Path.of(volume.metaDisk().path().orElseThrow()), Durability.FORCE)) {
                return BackingDisk.hasMetadata(backing, Optional.of(meta));
            }
        }
    }

    private static Optional<Volume> openMeta(VolumeConfig volume, BackingDisk.Format format, long backingBytes,
                                             boolean mayCreate) throws IOException {
        if (volume.metaDisk().internal()) {
            return Optional.empty();
        }
        Path metaPath = Path.of(volume.metaDisk().path().orElseThrow());
        if (Files.exists(metaPath) || !mayCreate) {
            return Optional.of(openExisting(metaPath.toString(), "meta-disk", Durability.FORCE));
        }
        long bytes = BackingDisk.layoutFor(backingBytes, false, format).metadataSizeBytes();
        createParent(metaPath);
        return Optional.of(FileVolume.create(metaPath, bytes, Durability.FORCE));
    }

    private static Volume openExisting(String path, String what, Durability durability) throws IOException {
        Path file = Path.of(path);
        if (!Files.exists(file)) {
            throw new MetadataException(what + " " + path + " does not exist");
        }
        return BackingStore.open(file, durability);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}

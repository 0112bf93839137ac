package io.replicator.core.disk;

import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H7: with an external meta-disk the metadata's flushes do not reach the data file, so the data is flushed before
 * bitmap pages or a superblock that vouch for it are written.
 */
@Timeout(10)
class ExternalMetaFlushOrderTest {
    private static final long DATA = 8L << 20;

    @Test
    void bitmapWriteOutFlushesTheDataVolumeFirstWhenMetadataIsExternal() throws Exception {
        HeapVolume data = new HeapVolume(DATA);
        HeapVolume meta = new HeapVolume(MetadataLayout.metadataSizeBytes(DATA, 1,
            MetadataLayout.DEFAULT_AL_SIZE_BYTES) + MetadataLayout.SUPERBLOCK_AREA_BYTES);
        BackingDisk.create(data, Optional.of(meta), new BackingDisk.Format(0, List.of(1), 1, 1237, DATA, 1)).close();
        try (AttachedDisk disk = AttachedDisk.attach(BackingDisk.open(data, Optional.of(meta)), 1237)) {
            int before = data.flushes();
            disk.markOutOfSync(0, 0, 4096);
            disk.writeOutBitmap();
            assertThat(data.flushes()).as("data flushed before the bitmap pages").isGreaterThan(before);

            int beforeMetadata = data.flushes();
            disk.backing().flushDataBeforeMetadata();
            assertThat(data.flushes()).isGreaterThan(beforeMetadata);
        }
    }

    @Test
    void internalMetadataNeedsNoExtraFlush() throws Exception {
        HeapVolume backing = new HeapVolume(MetadataLayout.internalForDataSize(DATA, 1,
            MetadataLayout.DEFAULT_AL_SIZE_BYTES).backingSizeBytes());
        BackingDisk.create(backing, Optional.empty(), new BackingDisk.Format(0, List.of(1), 1, 1237, DATA, 1)).close();
        try (AttachedDisk disk = AttachedDisk.attach(BackingDisk.open(backing, Optional.empty()), 1237)) {
            int before = backing.flushes();
            disk.backing().flushDataBeforeMetadata();
            assertThat(backing.flushes()).as("the metadata's own flush covers the file").isEqualTo(before);
        }
    }
}

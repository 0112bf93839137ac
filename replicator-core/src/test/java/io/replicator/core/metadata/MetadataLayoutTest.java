package io.replicator.core.metadata;

import io.replicator.core.testing.SeededTries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class MetadataLayoutTest {
    private static final long GIB = 1L << 30;
    private static final long AL = MetadataLayout.DEFAULT_AL_SIZE_BYTES;

    @Test
    void shouldCostThirtyTwoMebibytesPerTebibytePerPeerLikeDrbd() {
        long tib = 1L << 40;
        assertThat(MetadataLayout.bitmapSlotBytes(tib)).isEqualTo(32L << 20);
        assertThat(MetadataLayout.metadataSizeBytes(tib, 2, AL)).isEqualTo(8192 + AL + 2 * (32L << 20));
    }

    @Test
    void shouldRoundBitmapSlotToWholePagesWhenVolumeIsTiny() {
        assertThat(MetadataLayout.bitmapSlotBytes(4096)).isEqualTo(4096);
        assertThat(MetadataLayout.bitmapSlotBytes(4096L * 32768)).isEqualTo(4096);
        assertThat(MetadataLayout.bitmapSlotBytes(4096L * 32768 + 4096)).isEqualTo(8192);
    }

    @Test
    void shouldPutSuperblocksInTheLastEightKibibytesWhenInternal() {
        MetadataLayout layout = MetadataLayout.internalForDataSize(GIB, 1, AL);
        assertThat(layout.metadataStartBytes()).isEqualTo(GIB);
        assertThat(layout.metadataStartBytes() + layout.superblockOffsetBytes() + 8192)
            .isEqualTo(layout.backingSizeBytes());
    }

    @Test
    void shouldPutSuperblocksFirstWhenExternal() {
        MetadataLayout layout = MetadataLayout.external(GIB, 3, AL);
        assertThat(layout.superblockOffsetBytes()).isZero();
        assertThat(layout.alOffsetBytes()).isEqualTo(8192);
        assertThat(layout.bitmapOffsetBytes()).isEqualTo(8192 + AL);
        assertThat(layout.backingSizeBytes()).isEqualTo(GIB);
    }

    @Test
    void shouldRefuseDataAreaThatDoesNotFitWithItsMetadata() {
        assertThatThrownBy(() -> MetadataLayout.internal(GIB, 1, AL, GIB))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> MetadataLayout.internalForBackingSize(20_000, 1, AL))
            .hasMessageContaining("too small");
        assertThatThrownBy(() -> MetadataLayout.internalForDataSize(GIB, 32, AL)).hasMessageContaining("max-peers");
    }

    /** A backing store of 1 MiB to 16 TiB for 1 to 31 peers. */
    record Backing(long bytes, int peers) {
    }

    @Test
    void shouldFillBackingStoreExactlyWhenSizedFromBacking() {
        long min = 1L << 20;
        long max = 1L << 44;
        SeededTries.check(300, List.of(
                new Backing(min, 1), new Backing(min, 31), new Backing(min + 1, 1), new Backing(max, 1),
                new Backing(max, 31), new Backing(max - 1, 31), new Backing(GIB - 1, 2), new Backing(GIB + 4095, 7)),
            random -> new Backing(random.nextLong(min, max + 1), random.nextInt(1, 32)),
            backing -> {
                MetadataLayout layout = MetadataLayout.internalForBackingSize(backing.bytes(), backing.peers(), AL);
                long md = layout.metadataSizeBytes();
                assertThat(layout.dataSizeBytes() + md).isLessThanOrEqualTo(backing.bytes());
                assertThat(layout.metadataStartBytes() + md).isEqualTo(backing.bytes());
                long bigger = layout.dataSizeBytes() + 4096;
                assertThat(bigger + MetadataLayout.metadataSizeBytes(bigger, backing.peers(), AL))
                    .isGreaterThan(backing.bytes());
                assertThat(layout.bitmapSlotBytes() * 8 * 4096).isGreaterThanOrEqualTo(layout.dataSizeBytes());
            });
    }
}

package io.replicator.core.metadata;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    @Property(tries = 300)
    void shouldFillBackingStoreExactlyWhenSizedFromBacking(
        @ForAll @LongRange(min = 1L << 20, max = 1L << 44) long backing, @ForAll @IntRange(min = 1, max = 31) int peers) {
        MetadataLayout layout = MetadataLayout.internalForBackingSize(backing, peers, AL);
        long md = layout.metadataSizeBytes();
        assertThat(layout.dataSizeBytes() + md).isLessThanOrEqualTo(backing);
        assertThat(layout.metadataStartBytes() + md).isEqualTo(backing);
        long bigger = layout.dataSizeBytes() + 4096;
        assertThat(bigger + MetadataLayout.metadataSizeBytes(bigger, peers, AL)).isGreaterThan(backing);
        assertThat(layout.bitmapSlotBytes() * 8 * 4096).isGreaterThanOrEqualTo(layout.dataSizeBytes());
    }
}

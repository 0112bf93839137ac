package io.replicator.core.metadata;

import io.replicator.core.generation.LastWrite;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class MetadataStoreTest {
    private static final MetadataLayout LAYOUT = MetadataLayout.external(1L << 30, 2, 32 * 1024);

    static Superblock sample(long current) {
        List<PeerSlot> peers = List.of(new PeerSlot(1, 0xABCDEFL, PeerFlag.NODE_EXISTS.mask()), PeerSlot.EMPTY);
        return new Superblock(0, 0x1234_5678_9ABC_DEF0L, 0, 1237, MetadataFlag.CONSISTENT.mask(), LAYOUT, current,
            peers, List.of(11L, 22L, 33L));
    }

    @Test
    void shouldRoundTripEveryFieldThroughTheDescriptor() {
        List<Long> history = new java.util.ArrayList<>();
        for (long i = 1; i <= 32; i++) {
            history.add(i * 0x1111_1111_1111L);
        }
        Superblock full = new Superblock(77, -5L, 31, 6000, 0x1FFFF, MetadataLayout.internalForDataSize(1L << 40, 31,
            32 * 1024), Long.MIN_VALUE | 5, Collections.nCopies(31, new PeerSlot(7, -1L, 0x10010)), history,
            0x0123_4567_89AB_CDEFL, new LastWrite(31, Long.MAX_VALUE - 3), 0x0FED_CBA9_8765_4320L);
        assertThat(SuperblockDescriptor.decode(SuperblockDescriptor.encode(full))).contains(full);
    }

    /** Metadata written before the last write was recorded has zeroes there: no last write, not node 0's write 0. */
    @Test
    void shouldReadNoLastWriteFromZeroes() {
        Superblock none = sample(42);
        assertThat(none.lastWrite()).isEqualTo(LastWrite.NONE);
        assertThat(SuperblockDescriptor.decode(SuperblockDescriptor.encode(none)).orElseThrow().lastWrite())
            .isEqualTo(LastWrite.NONE);
        Superblock nodeZero = none.withLastWrite(new LastWrite(0, 0));
        assertThat(SuperblockDescriptor.decode(SuperblockDescriptor.encode(nodeZero)).orElseThrow().lastWrite())
            .isEqualTo(new LastWrite(0, 0));
    }

    @Test
    void shouldRejectCopyWhenAnyByteIsCorrupt() {
        ByteBuffer encoded = SuperblockDescriptor.encode(sample(99));
        for (int at = 0; at < SuperblockDescriptor.SUPERBLOCK_BYTES; at += 97) {
            ByteBuffer copy = ByteBuffer.allocate(encoded.capacity()).put(encoded.duplicate()).flip();
            copy.put(at, (byte) (copy.get(at) ^ 1));
            assertThat(SuperblockDescriptor.decode(copy)).as("flip at %d", at).isEmpty();
        }
    }

    @Test
    void shouldReadBackLatestWriteAfterReopen() throws IOException {
        HeapVolume volume = new HeapVolume(LAYOUT.metadataSizeBytes());
        MetadataStore store = MetadataStore.format(volume, 0, sample(4));
        store.write(sample(100));
        store.write(sample(200));
        Superblock reopened = MetadataStore.open(volume, 0).orElseThrow().current();
        assertThat(reopened.currentUuid()).isEqualTo(200);
        assertThat(reopened.sequence()).isEqualTo(3);
    }

    @Test
    void shouldFallBackToPreviousCopyWhenNewestIsTorn() throws IOException {
        HeapVolume volume = new HeapVolume(LAYOUT.metadataSizeBytes());
        MetadataStore store = MetadataStore.format(volume, 0, sample(4));
        store.write(sample(100));   // sequence 2 -> copy B
        store.write(sample(200));   // sequence 3 -> copy A
        volume.corrupt(100);        // tear copy A
        Superblock reopened = MetadataStore.open(volume, 0).orElseThrow().current();
        assertThat(reopened.currentUuid()).isEqualTo(100);
        assertThat(reopened.sequence()).isEqualTo(2);
    }

    /**
     * A Primary records after each flush how far its own writes got, without flushing the record
     * ({@link MetadataStore#writeUnflushed}): the copy holding the current superblock is never written so, a torn
     * record leaves it; once a flush covered a record, that record is current and the next one goes to the other copy.
     */
    @Test
    void unflushedRecords_neverTearTheDurableCopy() throws IOException {
        HeapVolume volume = new HeapVolume(LAYOUT.metadataSizeBytes());
        MetadataStore store = MetadataStore.format(volume, 0, sample(4));
        store.write(sample(100));                                       // sequence 2 -> copy B, durable
        store.writeUnflushed(sb -> sb.withLastWrite(new LastWrite(0, 5))); // sequence 3 -> copy A
        store.writeUnflushed(sb -> sb.withLastWrite(new LastWrite(0, 6))); // rewritten in place
        assertThat(store.current().sequence()).as("not current until flushed").isEqualTo(2);
        assertThat(MetadataStore.open(volume, 0).orElseThrow().current().lastWrite()).isEqualTo(new LastWrite(0, 6));
        volume.corrupt(100);                                            // a crash tears copy A
        assertThat(MetadataStore.open(volume, 0).orElseThrow().current().sequence()).isEqualTo(2);

        MetadataStore again = MetadataStore.open(volume, 0).orElseThrow();
        again.writeUnflushed(sb -> sb.withLastWrite(new LastWrite(0, 7))); // sequence 3 -> copy A
        long before = again.unflushedWrites();
        again.flushedSince(before);                                     // a flush covered it
        assertThat(again.current().lastWrite()).isEqualTo(new LastWrite(0, 7));
        again.writeUnflushed(sb -> sb.withLastWrite(new LastWrite(0, 8))); // sequence 4 -> copy B
        volume.corrupt(SuperblockDescriptor.SUPERBLOCK_BYTES + 100);   // a crash tears copy B
        assertThat(MetadataStore.open(volume, 0).orElseThrow().current().lastWrite())
            .as("the record a flush covered survives a torn successor").isEqualTo(new LastWrite(0, 7));

        long stale = again.unflushedWrites();
        again.writeUnflushed(sb -> sb.withLastWrite(new LastWrite(0, 9)));
        again.flushedSince(stale);
        assertThat(again.current().lastWrite()).as("written after the flush began: not known durable")
            .isEqualTo(new LastWrite(0, 7));
        again.write(again.current().withLastWrite(LastWrite.NONE));
        assertThat(MetadataStore.open(volume, 0).orElseThrow().current().lastWrite()).isEqualTo(LastWrite.NONE);
    }

    @Test
    void shouldFindNoMetadataWhenBothCopiesAreInvalid() throws IOException {
        HeapVolume volume = new HeapVolume(LAYOUT.metadataSizeBytes());
        assertThat(MetadataStore.open(volume, 0)).isEmpty();
        MetadataStore.format(volume, 0, sample(4));
        assertThat(MetadataStore.exists(volume, 0)).isTrue();
        volume.corrupt(10);
        assertThat(MetadataStore.exists(volume, 0)).isFalse();
    }

    @Test
    void shouldForgetOldMetadataWhenFormattedAgain() throws IOException {
        HeapVolume volume = new HeapVolume(LAYOUT.metadataSizeBytes());
        MetadataStore old = MetadataStore.format(volume, 0, sample(4));
        for (int i = 0; i < 5; i++) {
            old.write(sample(1000 + i));
        }
        MetadataStore.format(volume, 0, sample(4));
        assertThat(MetadataStore.open(volume, 0).orElseThrow().current().currentUuid()).isEqualTo(4);
    }

    @Test
    void shouldDescribeFlagsByName() {
        assertThat(MetadataFlag.describe(MetadataFlag.CONSISTENT.mask() | MetadataFlag.CRASHED_PRIMARY.mask()))
            .isEqualTo("consistent|crashed-primary");
        assertThat(PeerFlag.describe(0)).isEqualTo("none");
    }
}

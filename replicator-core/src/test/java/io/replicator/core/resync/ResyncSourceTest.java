package io.replicator.core.resync;

import io.netty.buffer.Unpooled;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.SyncMessage.Kind;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ResyncSourceTest {
    private static final int BLOCK = (int) DirtyBitmap.BLOCK_BYTES;
    private static final long SIZE = 4L << 20;

    private final List<String> events = new ArrayList<>();
    private final List<Object> delivered = new ArrayList<>();
    private final HeapVolume heap = new HeapVolume(SIZE);
    private final RecordingVolume volume = new RecordingVolume(heap, events);
    private final DirtyBitmap bits = new DirtyBitmap(DirtyBitmap.blocksFor(SIZE));
    private final RangeLock recordingLock = new RangeLock() {
        @Override
        public void lock(int vol, long offset, long length) {
            events.add("lock " + offset + "+" + length);
        }

        @Override
        public void unlock(int vol, long offset, long length) {
            events.add("unlock " + offset + "+" + length);
        }
    };
    private final RecordingPeer peer = new RecordingPeer(events, delivered::add);
    private final BlockDigest md5 = BlockDigest.of("md5");

    private ResyncSource source(BlockDigest csums) {
        return new ResyncSource(0, bits, volume, recordingLock, peer, csums, () -> 0L);
    }

    @Test
    void shouldReadUnderTheRangeLockAndQueueTheDataBeforeUnlocking() throws Exception {
        heap.bytes()[BLOCK] = 9;
        bits.setRange(1, 3);
        source(null).onRequest(SyncMessage.of(Kind.REQUEST, 0, BLOCK, 2 * BLOCK, 17));

        assertThat(events).containsExactly("lock 4096+8192", "read 4096+8192", "data 4096+8192",
            "unlock 4096+8192");
        RecordingPeer.Data data = (RecordingPeer.Data) delivered.get(0);
        assertThat(data.id()).isEqualTo(17);
        assertThat(data.bytes()).isEqualTo(Arrays.copyOfRange(heap.bytes(), BLOCK, 3 * BLOCK));
        assertThat(bits.cardinality()).as("cleared only on the write ack").isEqualTo(2);
    }

    @Test
    void shouldClearBitsOnTheWriteAck() throws Exception {
        bits.setRange(1, 3);
        ResyncSource source = source(null);
        source.onRequest(SyncMessage.of(Kind.REQUEST, 0, BLOCK, 2 * BLOCK, 17));
        source.onWriteAck(SyncMessage.of(Kind.WRITE_ACK, 0, BLOCK, 2 * BLOCK, 17));

        assertThat(bits.cardinality()).isZero();
        assertThat(source.progress().doneBytes()).isEqualTo(2L * BLOCK);
    }

    @Test
    void shouldAnswerInSyncAndClearTheBitsWhenTheDigestsMatch() throws Exception {
        heap.bytes()[5 * BLOCK + 7] = 1;
        bits.setRange(4, 8);
        byte[] digest = md5.digest(Unpooled.wrappedBuffer(Arrays.copyOfRange(heap.bytes(), 4 * BLOCK, 8 * BLOCK)));
        ResyncSource source = source(md5);
        source.onRequest(new SyncMessage(Kind.CSUM_REQUEST, 0, 4L * BLOCK, 4 * BLOCK, 3, digest));

        assertThat(delivered).containsExactly(SyncMessage.of(Kind.IN_SYNC, 0, 4L * BLOCK, 4 * BLOCK, 3));
        assertThat(events).first().isEqualTo("lock 16384+16384");
        assertThat(events).last().isEqualTo("unlock 16384+16384");
        assertThat(bits.cardinality()).isZero();
        assertThat(source.sameCsumBytes()).isEqualTo(4L * BLOCK);
    }

    @Test
    void shouldSendTheDataWhenTheDigestsDiffer() throws Exception {
        bits.set(4);
        byte[] digest = md5.digest(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        source(md5).onRequest(new SyncMessage(Kind.CSUM_REQUEST, 0, 4L * BLOCK, BLOCK, 3, digest));

        assertThat(events).containsExactly("lock 16384+4096", "read 16384+4096", "data 16384+4096",
            "unlock 16384+4096");
        assertThat(bits.get(4)).isTrue();
    }

    @Test
    void shouldRejectMalformedRequestsWithoutTouchingTheLockOrTheDisk() {
        ResyncSource plain = source(null);
        ResyncSource withCsums = source(md5);

        assertThatThrownBy(() -> plain.onRequest(SyncMessage.of(Kind.REQUEST, 0, SIZE - BLOCK, 2 * BLOCK, 1)))
            .as("beyond the end").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plain.onRequest(SyncMessage.of(Kind.REQUEST, 0, SIZE, BLOCK, 1)))
            .as("at the end").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plain.onRequest(SyncMessage.of(Kind.REQUEST, 0, 512, BLOCK, 1)))
            .as("unaligned").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plain.onRequest(SyncMessage.of(Kind.REQUEST, 0, 0, (1 << 20) + BLOCK, 1)))
            .as("larger than 1 MiB").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plain.onRequest(SyncMessage.of(Kind.REQUEST, 0, 0, 0, 1)))
            .as("empty").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plain.onRequest(new SyncMessage(Kind.CSUM_REQUEST, 0, 0, BLOCK, 1, new byte[16])))
            .as("checksum request without csums-alg").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withCsums.onRequest(SyncMessage.of(Kind.REQUEST, 0, 0, (1 << 20) + 1, 1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(events).isEmpty();
        assertThat(delivered).isEmpty();
    }

    @Test
    void shouldAcceptExactlyOneMiBAndAPartialLastBlock() throws Exception {
        HeapVolume odd = new HeapVolume(3L * BLOCK + 100);
        RecordingVolume oddVolume = new RecordingVolume(odd, events);
        ResyncSource source = new ResyncSource(0, new DirtyBitmap(4), oddVolume, recordingLock, peer, null, () -> 0L);
        source.onRequest(SyncMessage.of(Kind.REQUEST, 0, 3L * BLOCK, 100, 2));
        source(null).onRequest(SyncMessage.of(Kind.REQUEST, 0, 0, 1 << 20, 3));

        assertThat(events).contains("data 12288+100", "data 0+1048576");
    }

    @Test
    void shouldSendANegativeReplyWhenTheReadFails() throws Exception {
        bits.set(2);
        volume.failReads(true);
        source(null).onRequest(SyncMessage.of(Kind.REQUEST, 0, 2L * BLOCK, BLOCK, 5));

        assertThat(delivered).containsExactly(SyncMessage.of(Kind.NEG_REPLY, 0, 2L * BLOCK, BLOCK, 5));
        assertThat(events).last().isEqualTo("unlock 8192+4096");
        assertThat(bits.get(2)).isTrue();
    }

    @Test
    void shouldIgnoreAWriteAckBeyondTheEnd() {
        bits.setAll();
        source(null).onWriteAck(SyncMessage.of(Kind.WRITE_ACK, 0, SIZE, BLOCK, 1));

        assertThat(bits.cardinality()).isEqualTo(bits.blockCount());
    }
}

package io.replicator.core.resync;

import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.SyncMessage.Kind;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

@Timeout(10)
class OnlineVerifyTest {
    private static final int BLOCK = (int) DirtyBitmap.BLOCK_BYTES;
    private static final long SIZE = 3L << 20;

    private final List<SyncMessage> sent = new ArrayList<>();
    private final ArrayDeque<SyncMessage> toPeer = new ArrayDeque<>();
    private final AtomicInteger finishedRuns = new AtomicInteger();
    private final BlockDigest crc = BlockDigest.of("crc32c");

    private HeapVolume local = new HeapVolume(SIZE);
    private HeapVolume remote = new HeapVolume(SIZE);
    private DirtyBitmap bits = new DirtyBitmap(DirtyBitmap.blocksFor(SIZE));

    private OnlineVerify verify(BlockDigest digest, long budget, long start, long stop) {
        return new OnlineVerify(0, bits, local, digest, RangeLock.NONE, (now, inFlight, back) -> budget,
            m -> {
                sent.add(m);
                toPeer.add(m);
            }, () -> 0L, 1 << 20, start, stop, finishedRuns::incrementAndGet);
    }

    /** Steps the verify and lets the peer answer every request until it is done. */
    private void run(OnlineVerify verify) {
        for (int round = 0; round < 100_000 && finishedRuns.get() == 0; round++) {
            verify.step();
            SyncMessage request;
            while ((request = toPeer.poll()) != null) {
                if (request.kind() == Kind.VERIFY_REQUEST) {
                    verify.onReply(OnlineVerify.answer(request, remote, crc));
                }
            }
        }
    }

    private List<SyncMessage> sentOf(Kind kind) {
        return sent.stream().filter(m -> m.kind() == kind).toList();
    }

    private static void scribble(HeapVolume volume, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        byte[] bytes = volume.bytes();
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt();
        }
    }

    @Test
    void shouldFindNothingOutOfSyncOnIdenticalVolumes() {
        scribble(local, 1);
        scribble(remote, 1);
        OnlineVerify verify = verify(crc, 1 << 20, 0, Long.MAX_VALUE);
        run(verify);

        assertThat(finishedRuns).hasValue(1);
        assertThat(verify.outOfSyncBlocks()).isZero();
        assertThat(bits.cardinality()).isZero();
        assertThat(sentOf(Kind.VERIFY_OUT_OF_SYNC)).isEmpty();
        assertThat(verify.position()).isEqualTo(SIZE);
        assertThat(sentOf(Kind.VERIFY_REQUEST)).extracting(SyncMessage::length).containsOnly(1 << 20);
    }

    @Test
    void shouldMarkExactlyTheCorruptedBlocksAndReportEachRun() {
        remote.corrupt(3L * BLOCK + 1);
        remote.corrupt(4L * BLOCK + 4095);
        remote.corrupt(10L * BLOCK);
        remote.corrupt(700L * BLOCK + 17);
        OnlineVerify verify = verify(crc, 1 << 20, 0, Long.MAX_VALUE);
        run(verify);

        assertThat(verify.outOfSyncBlocks()).isEqualTo(4);
        assertThat(bits.cardinality()).isEqualTo(4);
        assertThat(bits.get(3) && bits.get(4) && bits.get(10) && bits.get(700)).isTrue();
        assertThat(sentOf(Kind.VERIFY_OUT_OF_SYNC)).extracting(SyncMessage::offset, SyncMessage::length)
            .containsExactly(tuple(3L * BLOCK, 2 * BLOCK), tuple(10L * BLOCK, BLOCK), tuple(700L * BLOCK, BLOCK));
    }

    @Test
    void shouldReportARunEndingAtTheRequestsEndAndOnTheLastPartialBlock() {
        long size = 20L * BLOCK + 300;
        local = new HeapVolume(size);
        remote = new HeapVolume(size);
        bits = new DirtyBitmap(DirtyBitmap.blocksFor(size));
        remote.corrupt(19L * BLOCK);
        remote.corrupt(size - 1);
        OnlineVerify verify = verify(crc, 1 << 20, 0, Long.MAX_VALUE);
        run(verify);

        assertThat(finishedRuns).hasValue(1);
        assertThat(sentOf(Kind.VERIFY_OUT_OF_SYNC)).extracting(SyncMessage::offset, SyncMessage::length)
            .containsExactly(tuple(19L * BLOCK, BLOCK + 300));
        assertThat(bits.cardinality()).isEqualTo(2);
    }

    @Test
    void shouldStayWithinStartAndStop() {
        remote.corrupt(2L * BLOCK);
        remote.corrupt(9L * BLOCK);
        remote.corrupt(20L * BLOCK);
        OnlineVerify verify = verify(crc, 1 << 20, 8L * BLOCK + 100, 16L * BLOCK);
        run(verify);

        assertThat(finishedRuns).hasValue(1);
        assertThat(bits.cardinality()).isEqualTo(1);
        assertThat(bits.get(9)).isTrue();
        assertThat(sentOf(Kind.VERIFY_REQUEST)).allSatisfy(r -> {
            assertThat(r.offset()).isGreaterThanOrEqualTo(8L * BLOCK);
            assertThat(r.offset() + r.length()).isLessThanOrEqualTo(16L * BLOCK);
        });
        assertThat(verify.position()).isEqualTo(16L * BLOCK);
        assertThat(verify.progress().doneBytes()).isEqualTo(8L * BLOCK);
    }

    @Test
    void shouldSendBlockAlignedRequestsEvenWithOddBudgets() {
        OnlineVerify verify = verify(crc, 10_000, 0, 200L * BLOCK);
        run(verify);

        assertThat(finishedRuns).hasValue(1);
        List<SyncMessage> requests = sentOf(Kind.VERIFY_REQUEST);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.offset() % BLOCK).isZero();
            assertThat(r.length() % BLOCK).isZero();
            assertThat(r.length()).isPositive();
        });
        assertThat(requests.stream().mapToLong(SyncMessage::length).sum()).isEqualTo(200L * BLOCK);
    }

    @Test
    void shouldLimitRequestsToTheDigestsAReplyCanCarry() {
        OnlineVerify verify = verify(BlockDigest.of("sha512"), 1 << 20, 0, Long.MAX_VALUE);
        verify.step();

        assertThat(sentOf(Kind.VERIFY_REQUEST)).isNotEmpty().allSatisfy(r ->
            assertThat(r.length() / BLOCK * 64).isLessThanOrEqualTo(SyncMessage.MAX_DIGEST_BYTES));
    }

    @Test
    void answerShouldRejectRequestsOutsideTheVolume() {
        assertThatThrownBy(() -> OnlineVerify.answer(SyncMessage.of(Kind.VERIFY_REQUEST, 0, SIZE - BLOCK,
            2 * BLOCK, 1), remote, crc)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OnlineVerify.answer(SyncMessage.of(Kind.VERIFY_REQUEST, 0, 100, BLOCK, 1),
            remote, crc)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OnlineVerify.answer(SyncMessage.of(Kind.VERIFY_REQUEST, 0, 0, (1 << 20) + BLOCK,
            1), remote, crc)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OnlineVerify.answer(SyncMessage.of(Kind.VERIFY_REQUEST, 0, 0, 0, 1), remote, crc))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OnlineVerify.answer(SyncMessage.of(Kind.VERIFY_REQUEST, 0, 0, 1 << 20, 1), remote,
            BlockDigest.of("sha512"))).as("more digests than a reply carries")
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answerShouldCarryOneDigestPerBlock() {
        SyncMessage reply = OnlineVerify.answer(SyncMessage.of(Kind.VERIFY_REQUEST, 3, 0, 8 * BLOCK, 42), remote,
            crc);

        assertThat(reply.kind()).isEqualTo(Kind.VERIFY_REPLY);
        assertThat(reply.volume()).isEqualTo(3);
        assertThat(reply.id()).isEqualTo(42);
        assertThat(reply.digest()).hasSize(8 * 4);
    }
}

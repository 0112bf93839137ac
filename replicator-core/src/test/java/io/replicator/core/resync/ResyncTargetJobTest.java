package io.replicator.core.resync;

import io.netty.buffer.ByteBuf;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ResyncTargetJobTest {
    private static final int BLOCK = (int) DirtyBitmap.BLOCK_BYTES;
    private static final int MIB = 1 << 20;
    private static final long UNLIMITED = Long.MAX_VALUE / 4;

    private final List<SyncMessage> sent = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong budget = new AtomicLong(UNLIMITED);
    private final AtomicInteger finishedRuns = new AtomicInteger();
    private HeapVolume volume;
    private DirtyBitmap bits;
    private ResyncTargetJob job;

    private void setUp(long sizeBytes) {
        volume = new HeapVolume(sizeBytes);
        bits = new DirtyBitmap(DirtyBitmap.blocksFor(sizeBytes));
    }

    private ResyncTargetJob start(BlockDigest csums, long maxInFlightBytes) {
        job = new ResyncTargetJob(0, bits, volume, csums, (now, inFlight, cameBack) -> budget.get(),
            sent::add, clock::get, maxInFlightBytes, finishedRuns::incrementAndGet);
        return job;
    }

    private List<SyncMessage> requests() {
        return sent.stream().filter(m -> m.kind() == Kind.REQUEST || m.kind() == Kind.CSUM_REQUEST).toList();
    }

    private static ByteBuf filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return Unpooled.wrappedBuffer(bytes);
    }

    private void answerAll() throws Exception {
        for (SyncMessage request : List.copyOf(requests())) {
            if (job.inFlightRequests() == 0) {
                return;
            }
            job.onData(request.offset(), request.id(), filled(request.length(), 7));
        }
    }

    @Test
    void shouldCoalesceContiguousDirtyBlocksIntoRequestsOfAtMostOneMiB() {
        setUp(4L * MIB);
        bits.setRange(0, 300);
        bits.setRange(400, 403);
        start(null, 8L * MIB).step();

        assertThat(requests()).extracting(SyncMessage::offset, SyncMessage::length).containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, MIB),
            org.assertj.core.groups.Tuple.tuple(256L * BLOCK, 44 * BLOCK),
            org.assertj.core.groups.Tuple.tuple(400L * BLOCK, 3 * BLOCK));
        assertThat(requests()).extracting(SyncMessage::kind).containsOnly(Kind.REQUEST);
        assertThat(requests()).extracting(SyncMessage::id).doesNotHaveDuplicates();
    }

    @Test
    void shouldNeverAskTwiceForARangeInFlight() throws Exception {
        setUp(MIB);
        bits.setRange(0, 10);
        start(null, 8L * MIB).step();
        bits.set(20);
        job.step();
        job.step();

        // Bit 20 was set behind the cursor: the next pass, once this one is answered, asks for it.
        assertThat(requests()).extracting(SyncMessage::offset, SyncMessage::length).containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, 10 * BLOCK));
        assertThat(job.inFlightRequests()).isEqualTo(1);
        SyncMessage first = requests().get(0);
        job.onData(first.offset(), first.id(), filled(first.length(), 1));
        job.step();
        assertThat(requests()).extracting(SyncMessage::offset, SyncMessage::length).containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, 10 * BLOCK),
            org.assertj.core.groups.Tuple.tuple(20L * BLOCK, BLOCK));
        assertThat(job.inFlightRequests()).isEqualTo(1);
    }

    @Test
    void shouldRequestNoMoreThanThePacersBudgetPerStep() {
        setUp(4L * MIB);
        bits.setAll();
        budget.set(64 * BLOCK);
        start(null, 64L * MIB).step();

        assertThat(requests()).hasSize(1);
        assertThat(requests().get(0).length()).isEqualTo(64 * BLOCK);
        budget.set(0);
        job.step();
        assertThat(requests()).hasSize(1);
        budget.set(100);
        job.step();
        assertThat(requests()).hasSize(2);
        assertThat(requests().get(1).offset()).isEqualTo(64L * BLOCK);
        assertThat(requests().get(1).length()).isEqualTo(BLOCK);
    }

    @Test
    void shouldStopAtTheInFlightLimitAndContinueWhenAnswersComeBack() throws Exception {
        setUp(8L * MIB);
        bits.setAll();
        start(null, 2L * MIB).step();

        assertThat(requests()).hasSize(2);
        assertThat(job.inFlightBytes()).isEqualTo(2L * MIB);
        SyncMessage first = requests().get(0);
        job.onData(first.offset(), first.id(), filled(first.length(), 1));
        assertThat(requests()).hasSize(3);
        assertThat(job.inFlightBytes()).isEqualTo(2L * MIB);
    }

    @Test
    void shouldWriteTheDataClearExactlyThoseBitsAndAcknowledge() throws Exception {
        setUp(MIB);
        bits.setRange(4, 8);
        bits.set(10);
        start(null, 8L * MIB).step();
        SyncMessage request = requests().get(0);
        job.onData(request.offset(), request.id(), filled(request.length(), 0x33));

        byte[] written = Arrays.copyOfRange(volume.bytes(), 4 * BLOCK, 8 * BLOCK);
        assertThat(written).containsOnly((byte) 0x33);
        assertThat(volume.bytes()[4 * BLOCK - 1]).isZero();
        assertThat(volume.bytes()[8 * BLOCK]).isZero();
        assertThat(bits.cardinality()).isEqualTo(1);
        assertThat(bits.get(10)).isTrue();
        assertThat(sent).contains(SyncMessage.of(Kind.WRITE_ACK, 0, 4L * BLOCK, 4 * BLOCK, request.id()));
        assertThat(job.finished()).isFalse();
        assertThat(job.progress().doneBytes()).isEqualTo(4L * BLOCK);
    }

    @Test
    void shouldPickUpBitsSetAgainDuringThePassInTheNextPass() throws Exception {
        setUp(MIB);
        bits.setRange(0, 2);
        bits.setRange(100, 102);
        start(null, 8L * MIB).step();
        assertThat(requests()).hasSize(2);
        SyncMessage first = requests().get(0);
        job.onData(first.offset(), first.id(), filled(first.length(), 1));
        bits.set(50); // dirtied again behind the cursor, e.g. by an out-of-sync notice
        SyncMessage second = requests().get(1);
        job.onData(second.offset(), second.id(), filled(second.length(), 1));

        assertThat(job.finished()).isFalse();
        assertThat(requests()).hasSize(3);
        assertThat(requests().get(2).offset()).isEqualTo(50L * BLOCK);
        SyncMessage third = requests().get(2);
        job.onData(third.offset(), third.id(), filled(third.length(), 1));
        assertThat(job.finished()).isTrue();
        assertThat(finishedRuns).hasValue(1);
    }

    @Test
    void shouldFinishOnceWhenNoBitIsLeftAndNothingInFlight() throws Exception {
        setUp(4L * MIB);
        bits.setRange(0, 600);
        start(null, 8L * MIB).step();
        assertThat(requests()).hasSize(3);
        answerAll();

        assertThat(job.finished()).isTrue();
        assertThat(finishedRuns).hasValue(1);
        assertThat(bits.cardinality()).isZero();
        job.checkFinished();
        job.step();
        assertThat(finishedRuns).hasValue(1);
        assertThat(job.progress().percent()).isEqualTo(100.0);
    }

    @Test
    void shouldFinishAtCheckFinishedWhenNothingIsDirty() {
        setUp(MIB);
        start(null, MIB);
        job.checkFinished();
        job.checkFinished();

        assertThat(job.finished()).isTrue();
        assertThat(finishedRuns).hasValue(1);
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldHoldRequestsWhilePausedAndContinueOnResume() {
        setUp(MIB);
        bits.setRange(0, 5);
        start(null, MIB);
        job.pause(ResyncTargetJob.PauseReason.USER, true);
        job.step();
        assertThat(sent).isEmpty();
        assertThat(job.pauseReasons()).containsExactly(ResyncTargetJob.PauseReason.USER);

        job.pause(ResyncTargetJob.PauseReason.USER, false);
        assertThat(job.pauseReasons()).isEmpty();
        assertThat(requests()).hasSize(1);
        assertThat(requests().get(0).length()).isEqualTo(5 * BLOCK);
    }

    @Test
    void shouldSendTheLocalDigestAndClearBitsWithoutWritingWhenInSync() {
        setUp(MIB);
        volume.bytes()[3 * BLOCK] = 42;
        bits.setRange(2, 4);
        BlockDigest md5 = BlockDigest.of("md5");
        start(md5, MIB).step();

        SyncMessage request = requests().get(0);
        assertThat(request.kind()).isEqualTo(Kind.CSUM_REQUEST);
        byte[] local = Arrays.copyOfRange(volume.bytes(), 2 * BLOCK, 4 * BLOCK);
        assertThat(request.digestEquals(md5.digest(Unpooled.wrappedBuffer(local)))).isTrue();

        job.onReply(SyncMessage.of(Kind.IN_SYNC, 0, request.offset(), request.length(), request.id()));
        assertThat(bits.cardinality()).isZero();
        assertThat(volume.writeCount()).isZero();
        assertThat(job.sameCsumBytes()).isEqualTo(2L * BLOCK);
        assertThat(sent).extracting(SyncMessage::kind).doesNotContain(Kind.WRITE_ACK);
        assertThat(job.finished()).isTrue();
    }

    @Test
    void shouldLeaveBitsSetAndEndWithFailedBytesAfterANegativeReply() {
        setUp(MIB);
        bits.setRange(0, 3);
        bits.set(9);
        start(null, MIB).step();
        assertThat(requests()).hasSize(2);
        // A source that cannot read anything: every request, including any retry, is answered negatively.
        int answered = 0;
        for (int round = 0; round < 10 && !job.finished(); round++) {
            List<SyncMessage> open = List.copyOf(requests().subList(answered, requests().size()));
            answered += open.size();
            for (SyncMessage request : open) {
                job.onReply(SyncMessage.of(Kind.NEG_REPLY, 0, request.offset(), request.length(), request.id()));
            }
            job.step();
            job.checkFinished();
        }

        assertThat(job.finished()).isTrue();
        assertThat(finishedRuns).hasValue(1);
        assertThat(job.inFlightRequests()).isZero();
        assertThat(job.failedBytes()).isGreaterThanOrEqualTo(4L * BLOCK);
        assertThat(bits.cardinality()).isEqualTo(4);
        // Each failed range is asked for at most once more (the pass that was already under way), never endlessly.
        assertThat(requests()).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void shouldRequestAndWriteTheLastPartialBlock() throws Exception {
        long size = 10L * BLOCK + 100;
        setUp(size);
        bits.setRange(9, 11);
        start(null, MIB).step();

        SyncMessage request = requests().get(0);
        assertThat(request.offset()).isEqualTo(9L * BLOCK);
        assertThat(request.length()).isEqualTo(BLOCK + 100);
        job.onData(request.offset(), request.id(), filled(request.length(), 5));
        assertThat(volume.bytes()[(int) size - 1]).isEqualTo((byte) 5);
        assertThat(bits.cardinality()).isZero();
        assertThat(job.finished()).isTrue();
    }

    @Test
    void shouldDigestTheLastPartialBlockWithCsums() {
        long size = 3L * BLOCK + 512;
        setUp(size);
        bits.set(3);
        start(BlockDigest.of("crc32c"), MIB).step();

        SyncMessage request = requests().get(0);
        assertThat(request.kind()).isEqualTo(Kind.CSUM_REQUEST);
        assertThat(request.length()).isEqualTo(512);
        assertThat(request.digestEquals(BlockDigest.of("crc32c").digest(Unpooled.wrappedBuffer(new byte[512]))))
            .isTrue();
    }

    @Test
    void shouldRejectDataAnsweringAnUnknownRequest() {
        setUp(MIB);
        bits.set(0);
        start(null, MIB).step();

        assertThatThrownBy(() -> job.onData(0, 999, filled(BLOCK, 1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(volume.writeCount()).isZero();
        assertThat(bits.get(0)).isTrue();
    }

    @Test
    void shouldRejectDataOfTheWrongRangeForAKnownRequest() {
        setUp(MIB);
        bits.setRange(0, 2);
        start(null, MIB).step();
        SyncMessage request = requests().get(0);

        assertThatThrownBy(() -> job.onData(BLOCK, request.id(), filled(BLOCK, 1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(volume.writeCount()).isZero();
        assertThat(bits.cardinality()).isEqualTo(2);
    }

    @Test
    void shouldKeepBitsAndSendANegativeAckWhenTheLocalWriteFails() {
        setUp(MIB);
        bits.set(1);
        start(null, MIB).step();
        SyncMessage request = requests().get(0);
        volume.failNextWrite();

        assertThatThrownBy(() -> job.onData(request.offset(), request.id(), filled(BLOCK, 1)))
            .isInstanceOf(java.io.IOException.class);
        assertThat(bits.get(1)).isTrue();
        assertThat(sent).extracting(SyncMessage::kind).contains(Kind.NEG_WRITE_ACK);
        assertThat(job.failedBytes()).isEqualTo(BLOCK);
    }

    @Test
    void shouldDropAnAnswerOvertakenByAnApplicationWriteAndAskAgain() throws Exception {
        setUp(MIB);
        bits.setRange(0, 2);
        start(null, 8L * MIB).step();
        SyncMessage first = requests().get(0);
        volume.write(filled(BLOCK, 9), BLOCK);
        job.applicationWrite(BLOCK, BLOCK);

        job.onData(first.offset(), first.id(), filled(first.length(), 7));

        assertThat(Arrays.copyOfRange(volume.bytes(), BLOCK, 2 * BLOCK)).containsOnly((byte) 9);
        assertThat(bits.cardinality()).isEqualTo(2);
        assertThat(sent).noneMatch(m -> m.kind() == Kind.WRITE_ACK);
        assertThat(finishedRuns.get()).isZero();
        job.step();
        SyncMessage again = requests().get(requests().size() - 1);
        assertThat(again.id()).isNotEqualTo(first.id());
        assertThat(again.offset()).isEqualTo(first.offset());
        job.onData(again.offset(), again.id(), filled(again.length(), 9));
        assertThat(bits.cardinality()).isZero();
        assertThat(finishedRuns.get()).isEqualTo(1);
    }

    @Test
    void shouldKeepAnswersWhoseRangeNoApplicationWriteTouched() throws Exception {
        setUp(MIB);
        bits.setRange(0, 2);
        start(null, 8L * MIB).step();
        SyncMessage first = requests().get(0);
        job.applicationWrite(8L * BLOCK, BLOCK);
        job.onData(first.offset(), first.id(), filled(first.length(), 7));
        assertThat(bits.cardinality()).isZero();
    }
}

package io.replicator.core.replication;

import io.netty.buffer.Unpooled;
import io.replicator.core.config.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TransferLogTest {
    private final RecordingOutbox outbox = new RecordingOutbox();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger released = new AtomicInteger();
    private final TransferLog log = new TransferLog(outbox, 100, List.of(1, 2), clock::get);

    private WriteRequest write(long offset) throws InterruptedException {
        return log.submit(0, offset, 4096, WriteKind.DATA, false, Unpooled.wrappedBuffer(new byte[4096]),
            released::incrementAndGet);
    }

    @Test
    void protocolCCompletesOnlyAfterTheLocalWriteAndTheWriteAck() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        WriteRequest request = write(0);
        assertThat(outbox.writeFlags).containsExactly(DpFlags.SEND_WRITE_ACK);
        log.localCompleted(request, null);
        log.receiveAck(1, request.id());
        assertThat(request.completion()).isNotDone();
        log.writeAck(1, request.id());
        assertThat(request.completion()).isCompleted();
        assertThat(released).hasValue(0);
        log.barrierAck(1, request.epoch(), 1);
        assertThat(released).hasValue(1);
    }

    @Test
    void pendingCountsWritesOfTheVolumeThatWaitForThePeersAck() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        log.addPeer(2, PeerPolicy.of(Protocol.C));
        WriteRequest first = write(0);
        WriteRequest second = write(8192);
        log.submit(1, 0, 4096, WriteKind.DATA, false, Unpooled.wrappedBuffer(new byte[4096]), () -> { });
        assertThat(log.pending(1, 0)).isEqualTo(2);
        assertThat(log.pending(1, 1)).isEqualTo(1);
        log.localCompleted(first, null);
        log.writeAck(1, first.id());
        log.writeAck(1, second.id());
        assertThat(log.pending(1, 0)).as("acked by peer 1, the local write of the second still runs").isZero();
        assertThat(log.pending(2, 0)).as("peer 2 acknowledged nothing").isEqualTo(2);
        log.peerLost(2);
        assertThat(log.pending(2, 0)).isZero();
    }

    @Test
    void protocolBCompletesOnTheReceiveAck() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.B));
        WriteRequest request = write(0);
        assertThat(outbox.writeFlags).containsExactly(DpFlags.SEND_RECEIVE_ACK);
        log.receiveAck(1, request.id());
        assertThat(request.completion()).isNotDone();
        log.localCompleted(request, null);
        assertThat(request.completion()).isCompleted();
    }

    @Test
    void protocolACompletesOnceHandedToTheNetwork() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.A));
        WriteRequest request = write(0);
        assertThat(outbox.writeFlags).containsExactly(0);
        log.localCompleted(request, null);
        assertThat(request.completion()).isNotDone();
        log.handedOver(1, request.id());
        assertThat(request.completion()).isCompleted();
    }

    @Test
    void aDependentWriteLandsInALaterEpochBehindABarrier() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        WriteRequest first = write(0);
        log.localCompleted(first, null);
        log.writeAck(1, first.id());
        WriteRequest second = write(8192);
        assertThat(second.epoch()).isGreaterThan(first.epoch());
        assertThat(outbox.sent).containsExactly("write 1 @0 e1", "barrier 1 e1", "write 1 @8192 e2");
    }

    @Test
    void concurrentWritesShareAnEpochUntilMaxEpochSize() throws Exception {
        TransferLog small = new TransferLog(outbox, 2, List.of(1), clock::get);
        small.addPeer(1, PeerPolicy.of(Protocol.C));
        for (int i = 0; i < 5; i++) {
            small.submit(0, i * 4096L, 4096, WriteKind.DATA, false, Unpooled.EMPTY_BUFFER, () -> { });
        }
        assertThat(outbox.sent).containsExactly("write 1 @0 e1", "write 1 @4096 e1", "barrier 1 e1",
            "write 1 @8192 e2", "write 1 @12288 e2", "barrier 1 e2", "write 1 @16384 e3");
    }

    @Test
    void aMismatchedBarrierAckDropsThePeer() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        WriteRequest request = write(0);
        log.localCompleted(request, null);
        log.writeAck(1, request.id());
        log.barrierAck(1, request.epoch(), 2);
        assertThat(outbox.drops).singleElement().asString().contains("barrier ack for epoch 1 (2 writes)");
        log.barrierAck(1, 7, 1);
        assertThat(outbox.drops).hasSize(2);
    }

    @Test
    void anAckForAnUnknownWriteDropsThePeer() {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        log.writeAck(1, 4711);
        assertThat(outbox.drops).singleElement().asString().contains("unknown write 4711");
    }

    @Test
    void writesAreMarkedOutOfSyncForAbsentPeersBeforeTheyAreSent() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        write(0);
        assertThat(outbox.marks).containsExactly("2@0+4096");
        assertThat(outbox.sent).containsExactly("write 1 @0 e1");
    }

    @Test
    void losingAPeerMarksEverythingItHasNotConfirmedAndCompletesTheWaitingWrites() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        log.addPeer(2, PeerPolicy.of(Protocol.C));
        WriteRequest confirmed = write(0);
        log.localCompleted(confirmed, null);
        log.writeAck(1, confirmed.id());
        log.writeAck(2, confirmed.id());
        log.barrierAck(1, confirmed.epoch(), 1);
        WriteRequest acked = write(4096);
        log.localCompleted(acked, null);
        log.writeAck(1, acked.id());
        log.writeAck(2, acked.id());
        WriteRequest waiting = write(8192);
        log.localCompleted(waiting, null);
        log.writeAck(2, waiting.id());
        assertThat(waiting.completion()).isNotDone();

        log.peerLost(1);

        assertThat(outbox.marks).containsExactly("1@4096+4096", "1@8192+4096");
        assertThat(waiting.completion()).isCompleted();
        assertThat(log.isReplicating(1)).isFalse();
        write(12288);
        assertThat(outbox.marks).contains("1@12288+4096");
    }

    @Test
    void aNegativeAckMarksTheBlockAndStillCompletesFromTheLocalCopy() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        WriteRequest request = write(0);
        log.localCompleted(request, null);
        log.negativeAck(1, request.id());
        assertThat(request.completion()).isCompleted();
        assertThat(outbox.marks).contains("1@0+4096");
    }

    @Test
    void aLocalFailureFailsTheWrite() throws Exception {
        WriteRequest request = write(0);
        log.localCompleted(request, new IOException("EIO"));
        assertThat(request.completion()).isCompletedExceptionally();
    }

    @Test
    void anOverlappingWriteWaitsUntilTheEarlierOneCompletes() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        WriteRequest first = write(0);
        CompletableFuture<WriteRequest> second = CompletableFuture.supplyAsync(() -> {
            try {
                return log.submit(0, 2048, 4096, WriteKind.DATA, false, Unpooled.EMPTY_BUFFER, () -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(second).isNotDone();
        log.localCompleted(first, null);
        log.writeAck(1, first.id());
        assertThat(second.get(5, TimeUnit.SECONDS).epoch()).isGreaterThan(first.epoch());
    }

    @Test
    void flushClosesTheEpochWithABarrier() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.A));
        write(0);
        log.flush();
        log.flush();
        assertThat(outbox.sent).containsExactly("write 1 @0 e1", "barrier 1 e1");
    }

    @Test
    void pullAheadStopsSendingDataOnceCongestionFillIsReached() throws Exception {
        log.addPeer(1, new PeerPolicy(Protocol.A, true, false, 8192, 0));
        WriteRequest first = write(0);
        WriteRequest second = write(4096);
        write(8192);
        assertThat(log.isReplicating(1)).isFalse();
        assertThat(outbox.sent).containsExactly("write 1 @0 e1", "write 1 @4096 e1", "oos 1 @8192");
        assertThat(outbox.marks).contains("1@8192+4096");
        for (WriteRequest request : List.of(first, second)) {
            log.localCompleted(request, null);
            log.handedOver(1, request.id());
        }
        log.barrierAck(1, 1, 2);
        log.resume(1);
        write(65536);
        assertThat(outbox.sent).last().isEqualTo("write 1 @65536 e2");
    }

    @Test
    void onCongestionDisconnectDropsThePeer() throws Exception {
        log.addPeer(1, new PeerPolicy(Protocol.A, false, true, 4096, 0));
        write(0);
        write(4096);
        assertThat(outbox.drops).singleElement().asString().contains("congestion");
    }

    @Test
    void aPeerThatLeavesAWriteUnansweredPastKoCountIsDropped() throws Exception {
        log.addPeer(1, new PeerPolicy(Protocol.C, false, false, 0, TimeUnit.SECONDS.toNanos(42)));
        write(0);
        clock.set(TimeUnit.SECONDS.toNanos(41));
        log.checkTimeouts();
        assertThat(outbox.drops).isEmpty();
        clock.set(TimeUnit.SECONDS.toNanos(43));
        log.checkTimeouts();
        assertThat(outbox.drops).singleElement().asString().contains("ko-count");
    }

    @Test
    void lockRangeWaitsForAnOverlappingWriteInFlight() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        WriteRequest request = write(8192);
        CompletableFuture<Void> locked = CompletableFuture.runAsync(() -> lockRange(4096, 8192));
        Thread.sleep(100);
        assertThat(locked).as("the write is still in flight").isNotDone();

        log.localCompleted(request, null);
        Thread.sleep(50);
        assertThat(locked).as("the peer has not acknowledged it yet").isNotDone();
        log.writeAck(1, request.id());
        locked.get(5, TimeUnit.SECONDS);
        log.unlockRange(0, 4096, 8192);
    }

    @Test
    void aSubmitOverlappingALockedRangeWaitsForUnlockRange() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        log.lockRange(0, 0, 16384);
        CompletableFuture<WriteRequest> submitted = CompletableFuture.supplyAsync(() -> writeUnchecked(12288));
        Thread.sleep(100);
        assertThat(submitted).isNotDone();
        assertThat(outbox.sent).isEmpty();

        log.unlockRange(0, 0, 16384);
        WriteRequest request = submitted.get(5, TimeUnit.SECONDS);
        assertThat(request.offset()).isEqualTo(12288);
        assertThat(outbox.sent).containsExactly("write 1 @12288 e1");
    }

    @Test
    void writesAndLocksThatDoNotOverlapProceed() throws Exception {
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        WriteRequest inFlight = write(0);
        log.lockRange(0, 4096, 4096);
        log.lockRange(1, 0, 4096); // another volume
        WriteRequest next = write(8192);

        assertThat(outbox.sent).containsExactly("write 1 @0 e1", "write 1 @8192 e1");
        assertThat(next.completion()).isNotDone();
        assertThat(inFlight.completion()).isNotDone();
        log.unlockRange(0, 4096, 4096);
        log.unlockRange(1, 0, 4096);
    }

    @Test
    void unlockRangeOfARangeNotLockedIsAnError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.unlockRange(0, 0, 4096))
            .isInstanceOf(IllegalStateException.class);
    }

    private void lockRange(long offset, long length) {
        try {
            log.lockRange(0, offset, length);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private WriteRequest writeUnchecked(long offset) {
        try {
            return write(offset);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

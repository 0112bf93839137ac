package io.replicator.core.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class EarlyFlushTargetTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile IOException flushFailure;
    /** Early flushes handed to the flusher, run by the test when it says so. */
    private final Queue<Runnable> flusherQueue = new ArrayDeque<>();
    private final Executor flusher = flusherQueue::add;

    private final ReplicaTarget volumes = new ReplicaTarget() {
        @Override
        public void write(int volume, long offset, ByteBuf data) {
            events.add("write @" + offset);
        }

        @Override
        public void zero(int volume, long offset, long length) {
            events.add("zero @" + offset);
        }

        @Override
        public void flush(int volume) {
            events.add("flush " + volume);
        }

        @Override
        public void flushAll() throws IOException {
            events.add("flush all on " + Thread.currentThread().getName());
            if (flushFailure != null) {
                throw flushFailure;
            }
        }

        @Override
        public void markOutOfSync(int volume, long offset, long length) {
            events.add("oos @" + offset);
        }
    };

    private final EarlyFlushTarget target = new EarlyFlushTarget(volumes, flusher);

    @Test
    void aBarrierAfterAnEarlyFlushDoesNotFlushAgain() throws IOException {
        target.write(0, 0, Unpooled.EMPTY_BUFFER);
        target.idle();
        assertThat(flusherQueue).hasSize(1);
        runFlusher("flusher");
        target.flushAll();
        assertThat(events).containsExactly("write @0", "flush all on flusher");
    }

    @Test
    void aReceiverThatMayBlockFlushesALittleDataItselfAndTheBarrierDoesNotFlushAgain() throws IOException {
        target.write(0, 0, Unpooled.wrappedBuffer(new byte[4096]));
        target.idleMayBlock();
        assertThat(flusherQueue).as("no hand-off to the flusher").isEmpty();
        target.flushAll();
        assertThat(events).containsExactly("write @0", "flush all on " + Thread.currentThread().getName());
    }

    @Test
    void moreThanTheCallersShareGoesToTheFlusherAndWritesDuringItCountForTheNextFlush() throws IOException {
        target.write(0, 0, Unpooled.wrappedBuffer(new byte[(int) EarlyFlushTarget.CALLER_FLUSH_MAX_BYTES + 1]));
        target.idleMayBlock();
        assertThat(flusherQueue).hasSize(1);
        target.write(0, 1 << 20, Unpooled.wrappedBuffer(new byte[4096]));
        runFlusher("flusher");
        target.idleMayBlock();
        assertThat(flusherQueue).as("only 4 KiB since the flusher's flush started").isEmpty();
        target.flushAll();
        assertThat(events).containsExactly("write @0", "write @1048576", "flush all on flusher",
            "flush all on " + Thread.currentThread().getName());
    }

    @Test
    void aFailedFlushOnTheCallerFailsTheNextBarrier() throws IOException {
        flushFailure = new IOException("EIO");
        target.zero(0, 0, 4096);
        target.idleMayBlock();
        flushFailure = null;
        assertThatThrownBy(target::flushAll).isInstanceOf(IOException.class).hasMessage("EIO");
    }

    @Test
    void aBarrierWaitsForTheEarlyFlushInFlightThatCoversItsWrites() throws Exception {
        target.zero(0, 4096, 4096);
        target.idle();
        CountDownLatch barrierStarted = new CountDownLatch(1);
        CompletableFuture<Void> barrier = CompletableFuture.runAsync(() -> {
            barrierStarted.countDown();
            try {
                target.flushAll();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        barrierStarted.await();
        Thread.sleep(50);
        assertThat(barrier).isNotDone();
        runFlusher("flusher");
        barrier.get(5, TimeUnit.SECONDS);
        assertThat(events).containsExactly("zero @4096", "flush all on flusher");
    }

    @Test
    void aWriteAfterTheEarlyFlushStartedIsFlushedByTheBarrierOnceThatFlushEnded() throws Exception {
        target.write(0, 0, Unpooled.EMPTY_BUFFER);
        target.idle();
        target.write(0, 8192, Unpooled.EMPTY_BUFFER);
        // Not idle again while one is in flight.
        target.idle();
        assertThat(flusherQueue).hasSize(1);
        CompletableFuture<Void> barrier = barrierOn("barrier");
        Thread.sleep(50);
        assertThat(barrier).as("waits for the early flush, though it misses the second write").isNotDone();
        runFlusher("flusher");
        barrier.get(5, TimeUnit.SECONDS);
        assertThat(events).containsExactly("write @0", "write @8192", "flush all on flusher", "flush all on barrier");
        // Everything is durable now: nothing more to flush early, and a barrier does not flush again.
        target.idle();
        assertThat(flusherQueue).isEmpty();
        target.flushAll();
        assertThat(events).hasSize(4);
    }

    /**
     * Linux reports a write-back error to one fsync only. Had the barrier flushed beside an early flush that took
     * the error, its own flush would have succeeded and the epoch been acknowledged with a write lost.
     */
    @Test
    void aBarrierFailsWhenTheEarlyFlushBesideItFailsThoughThatFlushMissedSomeOfItsWrites() throws Exception {
        target.write(0, 0, Unpooled.EMPTY_BUFFER);
        target.idle();
        target.write(0, 8192, Unpooled.EMPTY_BUFFER);
        CompletableFuture<Void> barrier = barrierOn("barrier");
        Thread.sleep(50);
        flushFailure = new IOException("EIO");
        runFlusher("flusher");
        flushFailure = null;
        assertThatThrownBy(() -> barrier.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("EIO");
        assertThat(events).containsExactly("write @0", "write @8192", "flush all on flusher");
    }

    private CompletableFuture<Void> barrierOn(String threadName) {
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        new Thread(() -> {
            try {
                target.flushAll();
                barrier.complete(null);
            } catch (IOException | RuntimeException e) {
                barrier.completeExceptionally(e);
            }
        }, threadName).start();
        return barrier;
    }

    /** Linux reports a writeback error to one fsync only: the early flush's must reach the barrier. */
    @Test
    void aFailedEarlyFlushFailsTheNextBarrierEvenIfFlushingAgainWouldSucceed() throws IOException {
        target.write(0, 0, Unpooled.EMPTY_BUFFER);
        target.idle();
        IOException eio = new IOException("EIO");
        flushFailure = eio;
        runFlusher("flusher");
        flushFailure = null;
        assertThatThrownBy(target::flushAll).isSameAs(eio);
        assertThat(events).containsExactly("write @0", "flush all on flusher");
        // Reported once; the barrier after it flushes for itself.
        target.flushAll();
        assertThat(events).containsExactly("write @0", "flush all on flusher",
            "flush all on " + Thread.currentThread().getName());
    }

    @Test
    void nothingIsFlushedEarlyWithoutNewWrites() throws IOException {
        target.idle();
        assertThat(flusherQueue).isEmpty();
        target.flushAll();
        assertThat(events).isEmpty();
    }

    @Test
    void aStoppedFlusherOnlyMeansTheBarrierFlushes() throws IOException {
        EarlyFlushTarget stopped = new EarlyFlushTarget(volumes, task -> {
            throw new RejectedExecutionException("stopped");
        });
        stopped.write(0, 0, Unpooled.EMPTY_BUFFER);
        stopped.idle();
        stopped.flushAll();
        assertThat(events).containsExactly("write @0", "flush all on " + Thread.currentThread().getName());
    }

    @Test
    void flushesOfOneVolumeAndOutOfSyncMarksPassThrough() throws IOException {
        target.flush(3);
        target.markOutOfSync(0, 512, 4096);
        assertThat(events).containsExactly("flush 3", "oos @512");
    }

    /** Runs the queued early flush on a thread named {@code name}. */
    private void runFlusher(String name) {
        Runnable flush = flusherQueue.remove();
        Thread thread = new Thread(flush, name);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.replicator.net.replication;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiveQueueGateTest {
    private static final long MESSAGE = 4096;
    private final List<ExecutorService> threads = new ArrayList<>();

    @AfterEach
    void stop() {
        threads.forEach(ExecutorService::shutdownNow);
    }

    @Test
    void pausesAboveHigh_resumesBelowLow() {
        List<Boolean> reads = new ArrayList<>();
        ReceiveQueueGate gate = new ReceiveQueueGate(4 * MESSAGE, Runnable::run, reads::add);
        for (int i = 0; i < 5; i++) {
            gate.queued(MESSAGE);
        }
        assertThat(gate.paused()).isTrue();
        assertThat(reads).containsExactly(false);
        gate.handled(MESSAGE);
        gate.handled(MESSAGE);
        gate.handled(MESSAGE);
        assertThat(gate.paused()).as("3 x 4 KiB left: not below half of 16 KiB").isTrue();
        gate.handled(MESSAGE);
        assertThat(gate.paused()).isFalse();
        assertThat(reads).containsExactly(false, true);
        assertThat(gate.queuedBytes()).isEqualTo(MESSAGE);
    }

    /**
     * A producer on one thread (the event loop) queues while reading is on; a consumer drains as fast as it can. The
     * earlier code let the consumer drain everything between the producer's count and its pause, and reading never
     * resumed; here every message must arrive, through thousands of pauses.
     */
    @Test
    void aConsumerDrainingDuringThePause_neverLeavesReadingOff() throws Exception {
        ExecutorService loop = thread();
        ExecutorService consumer = thread();
        BlockingQueue<Long> queue = new LinkedBlockingQueue<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        long total = 100_000;
        AtomicLong produced = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        ReceiveQueueGate[] gate = new ReceiveQueueGate[1];
        Runnable produce = new Runnable() {
            @Override
            public void run() {
                while (reading.get() && produced.get() < total) {
                    gate[0].queued(MESSAGE);
                    queue.add(MESSAGE);
                    produced.incrementAndGet();
                }
            }
        };
        gate[0] = new ReceiveQueueGate(2 * MESSAGE, loop, on -> {
            reading.set(on);
            if (on) {
                loop.execute(produce);
            }
        });
        consumer.execute(() -> {
            try {
                while (consumed.get() < total) {
                    long bytes = queue.take();
                    consumed.incrementAndGet();
                    gate[0].handled(bytes);
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
        loop.execute(produce);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (consumed.get() < total && System.nanoTime() < deadline) {
            long before = consumed.get();
            Thread.sleep(200);
            if (consumed.get() == before && queue.isEmpty() && !reading.get()) {
                break;
            }
        }
        assertThat(consumed.get()).as("messages that got through before reading stayed off").isEqualTo(total);
        assertThat(gate[0].queuedBytes()).isZero();
    }

    private ExecutorService thread() {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        threads.add(thread);
        return thread;
    }
}

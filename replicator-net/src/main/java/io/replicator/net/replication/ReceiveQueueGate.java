package io.replicator.net.replication;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The {@code max-buffers} back-pressure of one session's receive queue: stops reading the data channel while more
 * than {@code high} bytes wait for the receive thread, and reads again once fewer than {@code low} do.
 *
 * <p>The event loop queues, the receive thread drains. Every pause and every resume is decided on the event loop, so
 * the two cannot cross: a pause re-checks the queue after it is visible (the receive thread may have drained
 * everything in between, and would not have known to resume), and a receive thread that drains below {@code low}
 * while paused asks the event loop to resume. Before, both threads flipped the flag: a drain between the loop's count
 * and its pause left the channel paused with nothing queued — reading never resumed, and the Primary dropped the
 * connection after {@code timeout × ko-count} (found by the protocol A benchmark).
 */
final class ReceiveQueueGate {
    private final long high;
    private final long low;
    private final Executor loop;
    private final Consumer<Boolean> autoRead;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean resumeAsked = new AtomicBoolean();
    private volatile boolean paused;

    /**
     * @param high     pause reading above this many queued bytes
     * @param loop     the data channel's event loop: the only thread that pauses or resumes
     * @param autoRead turns reading the data channel on or off (called on {@code loop})
     */
    ReceiveQueueGate(long high, Executor loop, Consumer<Boolean> autoRead) {
        this.high = high;
        this.low = high / 2;
        this.loop = loop;
        this.autoRead = autoRead;
    }

    /** On the event loop: {@code bytes} more wait for the receive thread. */
    void queued(long bytes) {
        if (queued.addAndGet(bytes) > high && !paused) {
            paused = true;
            autoRead.accept(false);
            resumeIfDrained();
        }
    }

    /** On the receive thread: {@code bytes} were handled (or dropped). */
    void handled(long bytes) {
        if (queued.addAndGet(-bytes) < low && paused && resumeAsked.compareAndSet(false, true)) {
            try {
                loop.execute(() -> {
                    resumeAsked.set(false);
                    resumeIfDrained();
                });
            } catch (RejectedExecutionException loopGone) {
                resumeAsked.set(false);
            }
        }
    }

    /** Bytes waiting for the receive thread. */
    long queuedBytes() {
        return queued.get();
    }

    /** Whether reading is paused. */
    boolean paused() {
        return paused;
    }

    private void resumeIfDrained() {
        if (paused && queued.get() < low) {
            paused = false;
            autoRead.accept(true);
        }
    }
}

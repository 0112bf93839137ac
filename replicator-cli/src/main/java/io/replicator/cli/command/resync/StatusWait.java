package io.replicator.cli.command.resync;

import io.replicator.cli.output.SyncProgress;
import io.replicator.cli.output.SyncProgress.Goal;
import io.replicator.core.state.ResourceStatus;

import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Polls the daemon's status until a {@link Goal} is reached or the time is up. The poll, the clock and the pause
 * between polls are injected, so the loop runs in tests without a daemon or real time.
 */
final class StatusWait {
    /** Pauses between polls. */
    interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    /** Told about every snapshot polled, with the milliseconds waited so far. */
    interface Observer {
        void onSnapshot(List<ResourceStatus> statuses, long elapsedMs);
    }

    private final Supplier<List<ResourceStatus>> poll;
    private final LongSupplier nowMs;
    private final Pause pause;
    private final long pollIntervalMs;

    StatusWait(Supplier<List<ResourceStatus>> poll, LongSupplier nowMs, Pause pause, long pollIntervalMs) {
        this.poll = poll;
        this.nowMs = nowMs;
        this.pause = pause;
        this.pollIntervalMs = pollIntervalMs;
    }

    /**
     * Polls until {@code goal} is reached, or until {@code timeoutMs} have passed (0 = no limit).
     *
     * @return the snapshot that reached the goal, or empty on timeout, after telling {@code observer} about it
     */
    Outcome await(Goal goal, long timeoutMs, Observer observer) throws InterruptedException {
        long startMs = nowMs.getAsLong();
        while (true) {
            List<ResourceStatus> statuses = poll.get();
            long elapsedMs = nowMs.getAsLong() - startMs;
            observer.onSnapshot(statuses, elapsedMs);
            if (SyncProgress.reached(goal, statuses)) {
                return new Outcome(Optional.of(statuses), statuses, elapsedMs);
            }
            if (timeoutMs > 0 && elapsedMs >= timeoutMs) {
                return new Outcome(Optional.empty(), statuses, elapsedMs);
            }
            long wait = timeoutMs > 0 ? Math.min(pollIntervalMs, timeoutMs - elapsedMs) : pollIntervalMs;
            pause.pause(Math.max(1, wait));
        }
    }

    /**
     * How a wait ended.
     *
     * @param reached the snapshot that reached the goal; empty on timeout
     * @param last the last snapshot polled
     * @param elapsedMs how long the wait took
     */
    record Outcome(Optional<List<ResourceStatus>> reached, List<ResourceStatus> last, long elapsedMs) {
    }
}

package io.replicator.core.resource;

import java.util.concurrent.Callable;

/**
 * Where a resource's work runs and what time it is. The daemon runs a resource on three threads of its own
 * ({@link ThreadedScheduler}); the deterministic simulation runs every node of a cluster on one thread, with a
 * simulated clock, by handing the same work to its event queue. Nothing in {@code core.resource} creates a thread,
 * sleeps or reads the system clock except through this.
 *
 * <p>Three lanes, each running its tasks one at a time in the order given:
 * <ul>
 *   <li><b>owner</b> — the resource's single writer: role, disk and connection states, generation ids, the
 *       metadata edge. {@link #call} hands work to it and waits (inline when already on it).</li>
 *   <li><b>background</b> — resync and verify steps and their disk reads, so that a slow disk never holds the
 *       owner.</li>
 *   <li><b>listeners</b> — tells state listeners (status, events, metrics) off the owner, since they ask for
 *       snapshots under their own locks.</li>
 * </ul>
 */
public interface ResourceScheduler {
    /** Runs {@code task} on the owner lane, after what is queued there. */
    void execute(Runnable task);

    /** Runs {@code work} on the owner lane and returns its result; runs it inline when called on the owner. */
    <T> T call(Callable<T> work);

    /** Runs {@code task} on the owner lane every {@code periodMs}, the first time after one period. */
    void everyOnOwner(long periodMs, Runnable task);

    /** Runs {@code task} on the background lane. */
    void background(Runnable task);

    /** Runs {@code task} on the background lane every {@code periodMs}, the first time after one period. */
    void everyInBackground(long periodMs, Runnable task);

    /** Runs {@code task} on the listeners lane; dropped once the scheduler is closed. */
    void tellListeners(Runnable task);

    /** Holds the calling network thread back for {@code millis} (the resync source's c-min-rate throttle). */
    void holdBack(long millis);

    /**
     * The boot of the machine this node runs on (0 if unknown): an unclean restart within one boot was a process
     * crash, which loses nothing written ({@link io.replicator.core.disk.AttachedDisk#attach}).
     */
    default long bootId() {
        return BootId.current();
    }

    /** Monotonic time in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /**
     * Wall-clock time in microseconds: where a Primary's write ids start ({@link
     * io.replicator.core.replication.TransferLog}), so that a restarted Primary's ids follow its earlier ones.
     */
    default long wallMicros() {
        return System.currentTimeMillis() * 1000;
    }

    /**
     * Runs {@code work} on the calling thread for a {@link #call} that is already on the owner: its checked failure
     * comes back as an {@link IllegalStateException}, unchecked ones as they are.
     */
    static <T> T callInline(Callable<T> work) {
        try {
            return work.call();
        } catch (RuntimeException | Error failure) {
            throw failure;
        } catch (Exception failure) {
            throw new IllegalStateException(failure);
        }
    }

    /** Stops every lane; queued work is dropped. */
    void close();
}

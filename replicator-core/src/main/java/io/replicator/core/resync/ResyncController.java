package io.replicator.core.resync;

import io.replicator.core.config.ResyncOptions;
import java.util.Objects;

/**
 * Paces a resync from the sync target's side: called about every 100 ms, it says how many bytes of resync requests
 * to send now (drbd.md §7 "Rate control"; DRBD {@code drbd_rs_number_requests} and {@code drbd_rs_controller}).
 *
 * <p><b>Fixed rate</b> ({@code c-plan-ahead} 0): {@code resync-rate} × the time since the last call. Fractions of a
 * byte are carried to the next call, so any run of calls requests {@code resync-rate} × the elapsed time exactly.
 *
 * <p><b>Dynamic controller</b> (otherwise): it steers the bytes in flight (requested, not yet answered) toward a
 * target, spreading each correction over a plan of {@code steps = c-plan-ahead / 100 ms} future steps (a FIFO). Each
 * call:
 * <ol>
 *   <li>{@code want}: at the very start (nothing in flight, nothing came back) {@code resync-rate × c-plan-ahead};
 *       then {@code c-fill-target} if it is not 0, else the measured throughput × {@code c-delay-target} (delay
 *       mode: what came back since the last call, divided by the real time since the last call);</li>
 *   <li>{@code correction = want − in flight − planned}, and {@code correction / steps} is added to every slot;</li>
 *   <li>request what came back (to keep the level) plus the slot at the head of the plan, not less than 0 and not
 *       more than {@code c-max-rate} × the time since the last call.</li>
 * </ol>
 * In both modes the bytes in flight never exceed {@code max-buffers / 2} pages of 4 KiB, so the peer cannot run out
 * of receive buffers (a distributed deadlock in DRBD).
 *
 * <p>DRBD computes in 512-byte sectors, which is why its start-up want reads {@code resync_rate * 2 * 100 ms *
 * steps} with the rate in KiB/s: the factor 2 converts KiB to sectors. In bytes it is resync-rate × 0.1 s × steps.
 *
 * <p>Not thread-safe: one controller per resync, driven by the conductor. The clock is the caller's (nanoseconds,
 * monotonic); a call more than one second after the previous one counts as one second, so a stalled caller does not
 * cause a burst.
 */
public final class ResyncController {
    /** DRBD's resync step ({@code SLEEP_TIME}, {@code RS_MAKE_REQS_INTV}): the nominal time between calls. */
    public static final long STEP_NS = ResyncOptions.DECISECOND_NS;
    /** The page size that {@code max-buffers} counts. */
    public static final int PAGE_BYTES = 4096;
    /** Application or other foreign I/O above this many bytes since the last check is "activity" (64 sectors). */
    public static final long FOREIGN_IO_THRESHOLD_BYTES = 64 * 512;

    private static final long NS_PER_SECOND = 1_000_000_000L;
    private static final long MAX_ELAPSED_NS = NS_PER_SECOND;

    private final ResyncOptions options;
    private final long maxInFlightBytes;
    private final long[] plan;
    private int head;
    private long planned;
    private long lastNs;
    private boolean called;
    private long carriedByteNs;

    /**
     * A controller for one resync.
     *
     * @param options    the volume's resync options
     * @param maxBuffers the connection's {@code max-buffers} (pages); in-flight requests stay at or below half of it
     */
    public ResyncController(ResyncOptions options, int maxBuffers) {
        this.options = Objects.requireNonNull(options, "options");
        if (maxBuffers < 2) {
            throw new IllegalArgumentException("max-buffers must be at least 2: " + maxBuffers);
        }
        this.maxInFlightBytes = (long) (maxBuffers / 2) * PAGE_BYTES;
        this.plan = new long[Math.max(1, options.planAheadSteps())];
    }

    /**
     * How many bytes of resync requests to send now. The caller sends requests for up to this many bytes (whole
     * blocks, and only as many as are still out of sync) and counts them as in flight until their data comes back.
     *
     * @param nowNs                      the caller's monotonic clock
     * @param bytesInFlight              bytes requested and not yet answered, now (what came back is not included)
     * @param bytesCameBackSinceLastCall bytes whose data came back since the previous call
     * @return the bytes to request, never negative
     */
    public long bytesToRequest(long nowNs, long bytesInFlight, long bytesCameBackSinceLastCall) {
        if (bytesInFlight < 0 || bytesCameBackSinceLastCall < 0) {
            throw new IllegalArgumentException("negative byte count: " + bytesInFlight + ", "
                + bytesCameBackSinceLastCall);
        }
        long elapsedNs = called ? Math.min(Math.max(nowNs - lastNs, 1), MAX_ELAPSED_NS) : STEP_NS;
        called = true;
        lastNs = nowNs;
        long wanted = options.dynamic() ? dynamic(elapsedNs, bytesInFlight, bytesCameBackSinceLastCall)
            : fixed(elapsedNs);
        return Math.max(0, Math.min(wanted, maxInFlightBytes - bytesInFlight));
    }

    /** resync-rate × elapsed, with the fraction of a byte carried to the next call. */
    private long fixed(long elapsedNs) {
        long byteNs = options.resyncRateBytesPerSec() * elapsedNs + carriedByteNs;
        carriedByteNs = byteNs % NS_PER_SECOND;
        return byteNs / NS_PER_SECOND;
    }

    /** One step of DRBD's plan-ahead controller. */
    private long dynamic(long elapsedNs, long inFlight, long cameBack) {
        int steps = plan.length;
        long want;
        if (inFlight + cameBack == 0) {
            want = perStep(options.resyncRateBytesPerSec(), STEP_NS) * steps;
        } else if (options.cFillTargetBytes() > 0) {
            want = options.cFillTargetBytes();
        } else {
            want = (long) ((double) cameBack * options.cDelayTargetNs() / elapsedNs);
        }
        long correction = want - inFlight - planned;
        long perSlot = correction / steps;
        for (int i = 0; i < steps; i++) {
            plan[i] += perSlot;
        }
        planned += perSlot * steps;
        long current = plan[head];
        plan[head] = 0;
        head = (head + 1) % steps;
        planned -= current;

        long request = Math.max(0, cameBack + current);
        return options.cMaxRateBytesPerSec() == 0 ? request
            : Math.min(request, perStep(options.cMaxRateBytesPerSec(), elapsedNs));
    }

    /** The bytes planned for future steps, for tests and status ("planned" in DRBD's debugfs). */
    long plannedBytes() {
        return planned;
    }

    /**
     * The {@code c-min-rate} throttle (DRBD {@code drbd_rs_should_slow_down}): whether the resync should hold back
     * for this step because the application needs the disk. It throttles only when the disk is busy with foreign
     * I/O (more than {@link #FOREIGN_IO_THRESHOLD_BYTES} since the last check, or application writes waiting for the
     * activity log) and the resync is already faster than {@code c-min-rate}; so the resync always keeps at least
     * {@code c-min-rate}. A {@code c-min-rate} of 0 disables the throttle.
     *
     * @param cMinRateBytesPerSec             {@code c-min-rate}; 0 disables
     * @param foreignIoBytesSinceLastCheck    bytes read or written on the backing disk by anything but the resync
     * @param applicationWaitsForActivityLog  application I/O is waiting for an activity-log transaction
     * @param resyncShortTermRateBytesPerSec  the resync's rate over its recent past (DRBD: the last two sync marks)
     */
    public static boolean shouldThrottle(long cMinRateBytesPerSec, long foreignIoBytesSinceLastCheck,
            boolean applicationWaitsForActivityLog, long resyncShortTermRateBytesPerSec) {
        if (cMinRateBytesPerSec == 0) {
            return false;
        }
        boolean busy = foreignIoBytesSinceLastCheck > FOREIGN_IO_THRESHOLD_BYTES || applicationWaitsForActivityLog;
        return busy && resyncShortTermRateBytesPerSec > cMinRateBytesPerSec;
    }

    private static long perStep(long bytesPerSec, long elapsedNs) {
        return bytesPerSec / NS_PER_SECOND * elapsedNs + bytesPerSec % NS_PER_SECOND * elapsedNs / NS_PER_SECOND;
    }
}

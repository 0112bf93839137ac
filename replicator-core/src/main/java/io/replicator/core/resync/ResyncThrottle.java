package io.replicator.core.resync;

/**
 * DRBD's c-min-rate throttle for one resync, on either side (drbd.md §7): the target skips planning requests and the
 * source delays serving one when the backing disk is busy with other I/O — more than
 * {@link ResyncController#FOREIGN_IO_THRESHOLD_BYTES} since the last time it counted as busy, or application writes
 * waited for the activity log — and the resync already runs above c-min-rate. The counters are monotonic totals
 * the caller reads from the disk; this object remembers where the last decision left them.
 *
 * <p>Thread-safe.
 */
public final class ResyncThrottle {
    private long foreignIoSeen = -1;
    private long activityLogWaitsSeen = -1;

    /**
     * Whether to hold back the resync now.
     *
     * @param cMinRateBytesPerSec   {@code c-min-rate}; 0 never throttles
     * @param resyncRateBytesPerSec the resync's short-term rate
     * @param foreignIoBytes        total bytes of non-resync I/O on the disk so far
     * @param activityLogWaits      total activity-log waits so far (transactions written plus waits for a slot)
     */
    public synchronized boolean shouldThrottle(long cMinRateBytesPerSec, long resyncRateBytesPerSec,
                                               long foreignIoBytes, long activityLogWaits) {
        if (foreignIoSeen < 0) {
            // The first look only takes the baseline: what happened before the resync is not its business.
            foreignIoSeen = foreignIoBytes;
            activityLogWaitsSeen = activityLogWaits;
            return false;
        }
        long foreign = foreignIoBytes - foreignIoSeen;
        boolean waited = activityLogWaits != activityLogWaitsSeen;
        activityLogWaitsSeen = activityLogWaits;
        if (foreign > ResyncController.FOREIGN_IO_THRESHOLD_BYTES) {
            // As DRBD (rs_last_events): the count restarts only once it crossed the threshold.
            foreignIoSeen = foreignIoBytes;
        }
        return ResyncController.shouldThrottle(cMinRateBytesPerSec, foreign, waited, resyncRateBytesPerSec);
    }
}

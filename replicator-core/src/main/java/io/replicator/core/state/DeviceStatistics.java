package io.replicator.core.state;

/**
 * The counters of one volume that {@code drbdsetup status --statistics} prints on the device line.
 *
 * @param sizeKiB the usable size of the device ({@code size})
 * @param readKiB data read from the local backing disk ({@code read})
 * @param writtenKiB data written to the local backing disk ({@code written})
 * @param alWrites activity-log transactions written ({@code al-writes})
 * @param bmWrites bitmap blocks written ({@code bm-writes})
 * @param upperPending application requests not yet completed ({@code upper-pending})
 * @param lowerPending requests submitted to the backing disk and not yet completed ({@code lower-pending})
 * @param alSuspended whether activity-log updates are suspended ({@code al-suspended})
 */
public record DeviceStatistics(long sizeKiB, long readKiB, long writtenKiB, long alWrites, long bmWrites,
                               long upperPending, long lowerPending, boolean alSuspended) {
    /** All counters zero: a device that has done nothing yet, or one whose counters are not collected. */
    public static final DeviceStatistics EMPTY = new DeviceStatistics(0, 0, 0, 0, 0, 0, 0, false);
}

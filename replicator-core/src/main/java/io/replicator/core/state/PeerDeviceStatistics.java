package io.replicator.core.state;

/**
 * The counters of one volume toward one peer that {@code drbdsetup status --statistics} prints on the peer-device
 * line.
 *
 * @param receivedKiB data received from the peer ({@code received})
 * @param sentKiB data sent to the peer ({@code sent})
 * @param outOfSyncKiB data marked out of sync toward the peer ({@code out-of-sync})
 * @param pending requests sent to the peer and not yet answered ({@code pending})
 * @param unacked requests received from the peer and not yet acknowledged ({@code unacked})
 * @param hasSyncDetails whether a resync is running, so that progress and rate are meaningful
 *     ({@code has-sync-details})
 * @param hasOnlineVerifyDetails whether an online verify is running ({@code has-online-verify-details})
 */
public record PeerDeviceStatistics(long receivedKiB, long sentKiB, long outOfSyncKiB, long pending, long unacked,
                                   boolean hasSyncDetails, boolean hasOnlineVerifyDetails) {
    /** All counters zero and no sync details. */
    public static final PeerDeviceStatistics EMPTY = new PeerDeviceStatistics(0, 0, 0, 0, 0, false, false);
}

package io.replicator.core.state;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * An immutable snapshot of one volume toward one peer.
 *
 * @param volume the volume number
 * @param replication the replication state
 * @param peerDisk the peer's disk state; DUnknown while not connected
 * @param peerClient whether the peer is a permanent diskless client for this volume
 * @param donePercent progress of a running or paused resync or verify, 0 to 100; empty otherwise ({@code done})
 * @param resyncSuspended why a resync is paused, in DRBD's order and spelling ({@code user}, {@code peer},
 *     {@code dependency}, {@code max-parallel}); empty when it is not ({@code resync-suspended:no})
 * @param etaSeconds the estimated time until a running resync finishes; empty when unknown
 * @param rateKiBPerSec the current resync rate; empty when no resync runs
 * @param statistics the counters for {@code --statistics}
 */
public record PeerDeviceStatus(int volume, ReplicationState replication, DiskState peerDisk, boolean peerClient,
                               OptionalDouble donePercent, List<String> resyncSuspended, OptionalLong etaSeconds,
                               OptionalLong rateKiBPerSec, PeerDeviceStatistics statistics) {
    /** Checks for nulls and copies the list. */
    public PeerDeviceStatus {
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(peerDisk, "peerDisk");
        Objects.requireNonNull(donePercent, "donePercent");
        resyncSuspended = List.copyOf(resyncSuspended);
        Objects.requireNonNull(etaSeconds, "etaSeconds");
        Objects.requireNonNull(rateKiBPerSec, "rateKiBPerSec");
        Objects.requireNonNull(statistics, "statistics");
    }
}

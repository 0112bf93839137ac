package io.replicator.core.state;

import java.util.Objects;

/**
 * An immutable snapshot of one volume of a resource on this node.
 *
 * @param volume the volume number within the resource
 * @param minor the device minor ({@code /dev/drbdMINOR})
 * @param disk the local disk state
 * @param client whether this volume is a permanent diskless client ({@code disk none})
 * @param open whether the device is open by some process
 * @param quorum whether this volume has quorum
 * @param backingDev the backing device path, or {@code none} when Diskless ({@code backing_dev})
 * @param statistics the counters for {@code --statistics}
 */
public record DeviceStatus(int volume, int minor, DiskState disk, boolean client, boolean open, boolean quorum,
                           String backingDev, DeviceStatistics statistics) {
    /** Checks for nulls. */
    public DeviceStatus {
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(backingDev, "backingDev");
        Objects.requireNonNull(statistics, "statistics");
    }
}

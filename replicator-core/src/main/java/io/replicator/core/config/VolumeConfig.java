package io.replicator.core.config;

import io.replicator.core.volume.Durability;

/**
 * One volume of a resource on one host, with inheritance already applied.
 *
 * @param number    the volume number (0 for the implicit volume)
 * @param device    the device name as configured ({@code /dev/drbdN}); we export through NBD instead
 * @param disk      the backing file or block device, or "none" for a diskless node
 * @param metaDisk  where the metadata lives
 * @param sizeBytes {@code disk { size }}: the usable size, 0 = all the backing storage allows
 * @param alExtents {@code disk { al-extents }}
 * @param durability {@code disk { durability force|dsync; }} (our extension): fdatasync on flush, or O_DSYNC writes
 * @param onIoError {@code disk { on-io-error }}
 * @param diskFlushes {@code disk { disk-flushes }}: as a Secondary, flush the disk before acknowledging a barrier
 * @param resync    the resync options written in {@code disk { }} (resync-rate, c-plan-ahead, ...)
 * @param location  where the volume (or the host, for the implicit volume) is declared
 */
public record VolumeConfig(int number, String device, String disk, MetaDisk metaDisk, long sizeBytes, int alExtents,
                           Durability durability, OnIoError onIoError, boolean diskFlushes,
                           ResyncOptions resync, Location location) {
    /** Whether this host has no disk of its own for the volume. */
    public boolean diskless() {
        return disk.equals("none");
    }
}

package io.replicator.core.resource;

import io.replicator.core.config.VolumeConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.state.DiskState;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One volume of a resource as its owner thread sees it: configuration, attached disk (if any), disk state. */
final class VolumeRuntime {
    private final VolumeConfig config;
    /** Volatile: the data path and the network threads read it. */
    private volatile AttachedDisk disk;
    private volatile DiskState state = DiskState.DISKLESS;
    private final int lossDetectionSeconds;
    /** What each peer (by node id) wrote here recently: marked for another peer that is lost. */
    private final Map<Integer, RecentExtents> peerWrites = new ConcurrentHashMap<>();

    VolumeRuntime(VolumeConfig config, int lossDetectionSeconds) {
        this.config = config;
        this.lossDetectionSeconds = lossDetectionSeconds;
    }

    /** The recent writes that came from node {@code source}. Any thread. */
    RecentExtents writesFrom(int source) {
        return peerWrites.computeIfAbsent(source, node -> new RecentExtents(lossDetectionSeconds));
    }

    /** The recent writes of every peer but node {@code except}, by source node. */
    Map<Integer, RecentExtents> writesNotFrom(int except) {
        Map<Integer, RecentExtents> others = new HashMap<>(peerWrites);
        others.remove(except);
        return others;
    }

    VolumeConfig config() {
        return config;
    }

    Optional<AttachedDisk> disk() {
        return Optional.ofNullable(disk);
    }

    DiskState state() {
        return state;
    }

    void attached(AttachedDisk attached, DiskState newState) {
        this.disk = attached;
        moveTo(newState);
    }

    /** Forgets the disk (the caller closed or abandoned it) and goes Diskless. */
    void detached() {
        this.disk = null;
        moveTo(DiskState.DISKLESS);
    }

    void moveTo(DiskState newState) {
        if (newState != state && !DiskState.isValid(state, newState)) {
            throw new IllegalStateException("volume " + config.number() + ": disk state " + state.drbdName() + " -> "
                + newState.drbdName() + " is not a legal transition");
        }
        state = newState;
    }

    /** The minor number from {@code device /dev/drbdN} or {@code device minor N}; -1 when none is configured. */
    int minor() {
        String device = config.device();
        String digits = device.replaceAll("^.*?(\\d+)$", "$1");
        return digits.equals(device) && !device.matches("\\d+") ? -1 : Integer.parseInt(digits);
    }
}

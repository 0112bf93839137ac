package io.replicator.core.resource;

import io.replicator.core.replication.VolumeReport;
import io.replicator.core.resync.OnlineVerify;
import io.replicator.core.resync.ResyncSource;
import io.replicator.core.resync.ResyncThrottle;
import io.replicator.core.resync.ResyncTargetJob;
import io.replicator.core.resync.SyncProgress;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.ReplicationState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One volume's resync or verify with one peer, as the resource's owner thread runs it. The jobs' references are
 * volatile: the connection's receive thread and the network threads hand them the peer's answers.
 */
final class VolumeSync {
    final int volume;
    /** Owner thread writes; any thread reads. */
    volatile ReplicationState state = ReplicationState.ESTABLISHED;
    /** This node is the source of the running resync (else the target), while one runs. */
    boolean source;
    volatile ResyncTargetJob target;
    volatile ResyncSource sourceSide;
    volatile OnlineVerify verify;
    /** The peer paused the resync ({@code pause-sync} there). */
    volatile boolean pausedByPeer;
    /** The resync waits for the device its {@code resync-after} names. */
    volatile boolean pausedByDependency;
    /** c-min-rate: whether the disk is too busy for this resync right now (target planning, source serving). */
    final ResyncThrottle throttle = new ResyncThrottle();
    /** Whether this resync logged that c-min-rate held it back (once per resync). */
    volatile boolean throttleLogged;
    /** When the resync started (System.nanoTime), for the log line at the end. */
    long startedNanos;
    /**
     * As target, between the decision and the source's bitmap: the source's report at the decision, whose ids the
     * target takes once the resync really starts (ResyncCoordinator.bitmapReceived).
     */
    VolumeReport startingFrom;
    /** As target, between the decision and the source's bitmap: the disk state before (restored if it never came). */
    DiskState stateBeforeStart;

    VolumeSync(int volume) {
        this.volume = volume;
    }

    /** Whether a resync runs or is being set up. */
    boolean resyncing() {
        return state == ReplicationState.SYNC_SOURCE || state == ReplicationState.SYNC_TARGET
            || state == ReplicationState.WF_BIT_MAP_S || state == ReplicationState.WF_BIT_MAP_T
            || state == ReplicationState.PAUSED_SYNC_S || state == ReplicationState.PAUSED_SYNC_T;
    }

    /** The progress of the running resync or verify. */
    Optional<SyncProgress> progress() {
        ResyncTargetJob t = target;
        if (t != null) {
            return Optional.of(t.progress());
        }
        ResyncSource s = sourceSide;
        if (s != null) {
            return Optional.of(s.progress());
        }
        OnlineVerify v = verify;
        return v == null ? Optional.empty() : Optional.of(v.progress());
    }

    /** Why the resync is paused, in DRBD's order. */
    List<String> suspended(boolean pausedByUser) {
        List<String> reasons = new ArrayList<>();
        if (!resyncing()) {
            return reasons;
        }
        if (pausedByUser) {
            reasons.add("user");
        }
        if (pausedByPeer) {
            reasons.add("peer");
        }
        if (pausedByDependency) {
            reasons.add("dependency");
        }
        return reasons;
    }

    /** Stops every job (the connection ended); the bitmaps keep what is left. */
    void stop() {
        ResyncTargetJob t = target;
        if (t != null) {
            t.stop();
        }
        OnlineVerify v = verify;
        if (v != null) {
            v.stop();
        }
        target = null;
        sourceSide = null;
        verify = null;
        pausedByPeer = false;
        pausedByDependency = false;
        state = ReplicationState.ESTABLISHED;
    }
}

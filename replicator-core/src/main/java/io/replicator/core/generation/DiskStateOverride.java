package io.replicator.core.generation;

import io.replicator.core.generation.SyncDecision.BecomeSyncSource;
import io.replicator.core.generation.SyncDecision.BecomeSyncTarget;
import io.replicator.core.generation.SyncDecision.UnrelatedData;

/**
 * Step 1 of the 8.4 handshake after the id comparison (drbd.md §4, "8.4 handshake after the compare"): when exactly
 * one side's disk is Inconsistent, the disk states, not the ids, decide the direction.
 *
 * <p>The Inconsistent side becomes target. The resync is full ({@code SET_BITMAP}) if the comparison asked for a full
 * sync or found a split brain that cannot be auto-recovered (8.4: result ±2 or −100), because then no bitmap covers
 * the difference; otherwise it is bitmap-based. The rule of the comparison is kept, for the log. The split-brain
 * policies (after-sb-*, {@code --discard-my-data}, rr-conflict) are later steps and are not applied here.
 */
public final class DiskStateOverride {
    private DiskStateOverride() {
    }

    /**
     * Applies the disk-state override to a comparison result.
     *
     * @param compared the result of {@link SyncDecider#decide} for this node
     * @param selfInconsistent this node's disk is Inconsistent
     * @param peerInconsistent the peer's disk is Inconsistent; "not Inconsistent" means better than Inconsistent
     *     (Outdated, Consistent or UpToDate), as in 8.4's {@code peer_disk > D_INCONSISTENT}
     * @return {@code compared} unchanged unless exactly one side is Inconsistent and {@code compared} does not already
     *     make that side target; unrelated data is never overridden
     */
    public static SyncDecision apply(SyncDecision compared, boolean selfInconsistent, boolean peerInconsistent) {
        if (selfInconsistent == peerInconsistent) {
            return compared;
        }
        if (compared instanceof UnrelatedData) {
            return compared;
        }
        if ((selfInconsistent && compared.isSyncTarget()) || (peerInconsistent && compared.isSyncSource())) {
            return compared;
        }
        boolean full = compared.needsFullSync();
        if (selfInconsistent) {
            return new BecomeSyncTarget(
                    full ? BecomeSyncTarget.Kind.SET_BITMAP : BecomeSyncTarget.Kind.USE_BITMAP, compared.rule());
        }
        return new BecomeSyncSource(
                full ? BecomeSyncSource.Kind.SET_BITMAP : BecomeSyncSource.Kind.USE_BITMAP, compared.rule());
    }
}

package io.replicator.core.generation;

import io.replicator.core.generation.SyncDecision.BecomeSyncSource;
import io.replicator.core.generation.SyncDecision.BecomeSyncTarget;
import io.replicator.core.generation.SyncDecision.SplitBrain;
import io.replicator.core.generation.SyncDecision.UnrelatedData;

/**
 * Step 1 of the 8.4 handshake after the id comparison (drbd.md §4, "8.4 handshake after the compare"): when exactly
 * one side's disk is Inconsistent, the disk states, not the ids, decide the direction.
 *
 * <p>The Inconsistent side becomes target. The resync is full ({@code SET_BITMAP}) if the comparison asked for a full
 * sync or found a split brain that cannot be auto-recovered (8.4: result ±2 or −100), because then no bitmap covers
 * the difference; otherwise it is bitmap-based. The rule of the comparison is kept, for the log. The split-brain
 * policies (after-sb-*, {@code --discard-my-data}, rr-conflict) are later steps and are not applied here.
 *
 * <h2>An Inconsistent side that follows a Primary</h2>
 * Not when the Inconsistent side holds some writes of a Primary's generation ({@link HandshakeSide#followsPrimary},
 * {@link GenerationIds#followingPrimary}) and the comparison makes it source or finds a split brain: its ids are
 * then ahead of the other side's, or beside them. Made target by its disk state, it would lose those writes to older
 * or divergent data — and lend that side its vote: quorum regained by a Primary the newer one replaced, which then
 * completes writes while the newer one's acknowledged writes are elsewhere (simulation seed 4366524313826046807).
 * The comparison stands: a split brain goes to its policies, and an Inconsistent source is refused, to connect again
 * once that side's resync is done. DRBD 9 (protocol 119) goes further and lets the disk states decide only where the
 * ids do not; an Inconsistent side whose ids are ahead only because its resync started (its old current rotated
 * into the bitmap slots of absent peers) or because it was invalidated is still made target here.
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
        return apply(compared, selfInconsistent, peerInconsistent, false);
    }

    /**
     * {@link #apply(SyncDecision, boolean, boolean)}, where {@code inconsistentSideFollows} says whether the
     * Inconsistent side follows a Primary's generation: then a comparison that makes it source, or finds a split
     * brain, stands.
     */
    public static SyncDecision apply(SyncDecision compared, boolean selfInconsistent, boolean peerInconsistent,
            boolean inconsistentSideFollows) {
        if (selfInconsistent == peerInconsistent) {
            return compared;
        }
        if (inconsistentSideFollows && (compared instanceof SplitBrain
            || (selfInconsistent ? compared.isSyncSource() : compared.isSyncTarget()))) {
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

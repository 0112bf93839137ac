package io.replicator.core.generation;

import io.replicator.core.generation.HandshakeDecider.Steps;
import io.replicator.core.generation.SyncDecision.BecomeSyncSource;
import io.replicator.core.generation.SyncDecision.BecomeSyncTarget;
import io.replicator.core.generation.SyncDecision.NoSync;
import io.replicator.core.state.DiskState;

/**
 * The handshake's rules for two sides of the same current generation, where the ids alone cannot say which copy
 * holds the acknowledged writes: a crashed Primary and a node that replicated from it ({@link #survivorIsSource}),
 * two Secondaries of a Primary they lost or one of which restarted ({@link #laterWritesWin},
 * {@link #mustAskThePrimaryFirst}), and blocks marked while the ids stayed equal
 * ({@link #reconcileMarkedBlocks}). Each looks at both sides, so that both nodes, deciding with the sides swapped,
 * agree ({@link HandshakeDecider}).
 *
 * <p>What these rules know beyond the ids: which side crashed as Primary and which restarted after a machine crash
 * (its unflushed writes may be gone), which replicates from a Primary now (its data is in use there), and how far
 * each got with the Primary they replicated from ({@link LastWrite}, DRBD's dagtag in spirit).
 */
final class SameGenerationRules {
    private SameGenerationRules() {
    }

    /**
     * Marked blocks between a side that replicates from a Primary and one that does not, which cannot say how far it
     * got with its last Primary (it restarted since, {@link LastWrite#NONE}): the replicating side would be the source,
     * yet the other may hold writes it has not received (a cut it has not noticed yet, and the Primary still waits for
     * its acks), which a resync from it would overwrite — and the Primary, having their acks, would not send them
     * again. So the other side resyncs from the Primary itself first; this pair tries again later.
     */
    static boolean mustAskThePrimaryFirst(HandshakeSide self, HandshakeSide peer) {
        if (self.servesPrimary() == peer.servesPrimary() || self.primary() || peer.primary()) {
            return false;
        }
        HandshakeSide other = self.servesPrimary() ? peer : self;
        return other.lastWrite().equals(LastWrite.NONE) && HandshakeDecider.better(other.disk());
    }

    /**
     * Protocol C: a bitmap resync whose source is the side that crashed as Primary, decided because it crashed, is
     * turned around when the other side did not crash and was replicating from it (the crashed side records no
     * older generation for it) — did not restart uncleanly either, as a machine crash of a
     * Secondary loses unflushed writes too — and is not Primary now: the survivor holds every acknowledged write,
     * and the union of both bitmaps (the crashed side's activity-log extents among them) is copied from it.
     */
    static SyncDecision survivorIsSource(SyncDecision compared, HandshakeSide self, HandshakeSide peer,
            Steps steps) {
        boolean byCrash = compared.rule() == SyncRule.CRASHED_PRIMARY || compared.rule() == SyncRule.BOTH_OFF;
        if (!byCrash || !HandshakeDecider.isBitmapResync(compared)) {
            return compared;
        }
        HandshakeSide source = compared.isSyncSource() ? self : peer;
        HandshakeSide target = compared.isSyncSource() ? peer : self;
        if (!source.sync().crashedPrimary() || target.sync().crashedPrimary() || target.restartedUnclean()
            || target.primary() || !HandshakeDecider.better(target.disk())) {
            return compared;
        }
        long awaySince = source.sync().bitmapForPeer();
        if (awaySince != 0 && awaySince != source.sync().current()) {
            // The crashed Primary had recorded the other side as away (its bitmap id for it is an older generation):
            // the other side did not get the writes since, acknowledged without it. No survivor then.
            return compared;
        }
        SyncDecision reversed = compared.mirror();
        steps.add("protocol C: the crashed Primary's acknowledged writes are all on " + (compared.isSyncSource()
            ? "the peer" : "this node") + ", which did not crash: " + HandshakeDecider.direction(reversed));
        return reversed;
    }

    /**
     * A bitmap resync between two sides of the same current generation (the ids say one missed the end of a resync)
     * is turned around when the would-be target holds later writes of the Primary both replicated from: its last
     * write from that Primary is ahead, or the would-be source is back from a machine crash without knowing how far it
     * got while the target knows. The ids only say the source marked blocks for the target; the target may have got
     * them since (a resync from the Primary) and then writes the source never saw, which the resync would overwrite.
     * Not when either side is Primary (its data is in use; rr-conflict decides).
     */
    static SyncDecision laterWritesWin(SyncDecision compared, HandshakeSide self, HandshakeSide peer,
            Steps steps) {
        if (!HandshakeDecider.isBitmapResync(compared) || GenerationIds.mask(self.sync().ids().current())
                != GenerationIds.mask(peer.sync().ids().current())) {
            return compared;
        }
        HandshakeSide source = compared.isSyncSource() ? self : peer;
        HandshakeSide target = compared.isSyncSource() ? peer : self;
        // A target that crashed as Primary of this generation, its page cache intact (a process crash), holds every
        // write it completed: it knows how far it got (simulation seed 5402130752003863502, three nodes).
        boolean targetKnows = !target.lastWrite().equals(LastWrite.NONE)
            || (target.sync().crashedPrimary() && !target.restartedUnclean());
        boolean targetGotFurther = target.lastWrite().aheadOf(source.lastWrite())
            || (source.lastWrite().equals(LastWrite.NONE) && source.restartedUnclean() && targetKnows
                && !target.restartedUnclean());
        // An Outdated target knows it is behind its generation: whatever it applied last, an UpToDate source is not
        // (simulation seed 8880017404524932397, three nodes: an Outdated node overwrote a crashed Primary's writes).
        if (!targetGotFurther || source.primary() || target.primary() || !HandshakeDecider.better(target.disk())
            || target.disk().compareTo(source.disk()) < 0) {
            return compared;
        }
        SyncDecision reversed = compared.mirror();
        steps.add((compared.isSyncSource() ? "the peer" : "this node") + " applied later writes of the Primary: "
            + HandshakeDecider.direction(reversed));
        return reversed;
    }

    /**
     * A missed-finish rule (8.4 rules 34–37: equal currents, and the bitmap and history ids only suggest that one side
     * missed the end of a resync from the other) that would make an Outdated side source toward an UpToDate one is
     * turned around: the Outdated side knows it is behind some node, the guess may be wrong, and as source it would
     * overwrite acknowledged writes (simulation seed -3070481443216132774, five nodes). Turned around rather than
     * refused: refused, it stayed Outdated beside a Primary for good.
     */
    static SyncDecision outdatedIsNoSourceByAGuess(SyncDecision compared, HandshakeSide self, HandshakeSide peer,
            Steps steps) {
        if (!compared.rule().missedFinish() || !HandshakeDecider.isBitmapResync(compared)) {
            return compared;
        }
        HandshakeSide source = compared.isSyncSource() ? self : peer;
        HandshakeSide target = compared.isSyncSource() ? peer : self;
        if (source.disk() != DiskState.OUTDATED || target.disk() != DiskState.UP_TO_DATE) {
            return compared;
        }
        SyncDecision reversed = compared.mirror();
        steps.add((compared.isSyncSource() ? "our" : "the peer's") + " disk is Outdated, the other UpToDate, and the "
            + "ids only guess a missed resync finish: " + HandshakeDecider.direction(reversed));
        return reversed;
    }

    /**
     * Step 4b: the same generation on both sides, yet blocks marked out of sync between them. Writes that were in
     * flight when the link went are marked under the generation they were written in, and a Primary that goes idle
     * after the loss never starts a new one; a no-sync here would leave two copies that differ while both report
     * UpToDate. So the marked blocks are resynced, from the side whose data is in use: the only Primary, else the
     * side that applied the later writes of the same Primary, else the side that replicates from another Primary,
     * else the better disk, else the side that did not restart after a machine crash (the other may have lost unflushed
     * writes), else the side that completed writes as Primary (demoted since), else the side that marked more blocks
     * (it wrote them), else the peer of the RESOLVE_CONFLICTS holder. The just-created case (two fresh, never-synced disks) is left alone, and so are two Primaries.
     */
    static SyncDecision reconcileMarkedBlocks(NoSync noSync, HandshakeSide self, HandshakeSide peer,
            Steps steps) {
        if (noSync.rule() == SyncRule.JUST_CREATED_BOTH || (self.primary() && peer.primary())) {
            return noSync;
        }
        boolean selfIsSource;
        if (self.primary() != peer.primary()) {
            selfIsSource = self.primary();
        } else if (self.lastWrite().aheadOf(peer.lastWrite()) || peer.lastWrite().aheadOf(self.lastWrite())) {
            // Both replicated from the same Primary: the one that applied its later writes holds all the other has
            // — even if the other still replicates from it (a one-way cut it has not noticed yet: it then is not
            // made target, and the connection is tried again once it noticed).
            selfIsSource = self.lastWrite().aheadOf(peer.lastWrite());
        } else if (self.servesPrimary() != peer.servesPrimary()) {
            // Its data is in use by a Primary, which keeps writing to it.
            selfIsSource = self.servesPrimary();
        } else if (self.disk() != peer.disk()) {
            selfIsSource = self.disk().compareTo(peer.disk()) > 0;
        } else if (self.restartedUnclean() != peer.restartedUnclean()) {
            // A machine crash may have lost unflushed writes that the other copy still holds.
            selfIsSource = peer.restartedUnclean();
        } else if (self.ackedAsPrimary() != peer.ackedAsPrimary()) {
            // It completed this generation's writes as its Primary (since demoted): it holds them all, while the
            // other's marks may be only its activity log after a crash (simulation seed -1106884806000804991).
            selfIsSource = self.ackedAsPrimary();
        } else if (self.changedBlocks() != peer.changedBlocks()) {
            selfIsSource = self.changedBlocks() > peer.changedBlocks();
        } else {
            selfIsSource = !self.sync().resolveConflicts();
        }
        if (!HandshakeDecider.better((selfIsSource ? self : peer).disk())) {
            // Both mid-resync from a third node (Inconsistent): neither can be source now; the marks stay, and the
            // next handshake, after those resyncs, reconciles them.
            steps.add("blocks are marked, but neither disk can be a sync source now");
            return noSync;
        }
        SyncDecision reconciled = selfIsSource
            ? new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.MARKED_BLOCKS)
            : new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.MARKED_BLOCKS);
        steps.add("same generation, but " + self.changedBlocks() + " block(s) marked here and "
            + peer.changedBlocks() + " at the peer: " + reconciled.logLine().replace("sync decision: ", ""));
        return reconciled;
    }
}

package io.replicator.core.generation;

import static io.replicator.core.generation.GenerationIds.UUID_JUST_CREATED;
import static io.replicator.core.generation.GenerationIds.UUID_NEW_BM_OFFSET;

import io.replicator.core.generation.SyncDecision.BecomeSyncSource;
import io.replicator.core.generation.SyncDecision.BecomeSyncTarget;
import io.replicator.core.generation.SyncDecision.NoSync;
import io.replicator.core.generation.SyncDecision.SplitBrain;
import io.replicator.core.generation.SyncDecision.UnrelatedData;
import java.util.Optional;

/**
 * The connect-time comparison of two generation-id sets (DRBD 9 {@code drbd_uuid_compare}, cross-checked against
 * the 8.4 decision table; drbd.md §4). Pure: no I/O, no clock, no randomness, and it never corrects ids itself — a
 * caller that wants DRBD's "corrected myself" side effects applies the matching {@link GenerationIds} transition.
 *
 * <h2>Implementation notes</h2>
 * Rules are tried in DRBD 9 order: just-created; equal currents (missed-finish, reconnected, crashed-primary,
 * lost-quorum, both-off); bitmap-peer / bitmap-self and their "other" and "missed-start" variants; history-peer /
 * history-self; bitmap-both; history-both; otherwise unrelated data. Every id is compared with bit 0 masked off.
 *
 * <p>Invariant: {@code decide(b, a).equals(decide(a, b).mirror())} for every pair whose RESOLVE_CONFLICTS flags
 * differ. DRBD tries all "I am target" bitmap rules before all "I am source" ones, so ids that satisfy one of each
 * (which no real history produces) would make both sides target. Here the bitmap rules are tried as three levels
 * of mirror pairs (bitmap-peer/bitmap-self, bitmap-peer-other/bitmap-self-other,
 * sync-target-missed-start/sync-source-missed-start): a level where exactly one side of the pair fires decides; a
 * level where both fire is contradictory, carries no evidence and is skipped. The answer differs from DRBD's only
 * where a target rule and a source rule fire together, which is where DRBD's two sides would disagree.
 */
public final class SyncDecider {
    private SyncDecider() {
    }

    /**
     * Decides the resync between this node ({@code self}) and {@code peer}.
     *
     * @throws IllegalArgumentException if both or neither side hold RESOLVE_CONFLICTS
     */
    public static SyncDecision decide(SyncInput self, SyncInput peer) {
        if (self.resolveConflicts() == peer.resolveConflicts()) {
            throw new IllegalArgumentException("exactly one side must hold RESOLVE_CONFLICTS");
        }
        // Before DRBD 8.0.2 a sync target set its current to 0 during resync; 0 reads as JUST_CREATED.
        long selfCurrent = orJustCreated(self.current());
        long peerCurrent = orJustCreated(peer.current());

        if (selfCurrent == UUID_JUST_CREATED && peerCurrent == UUID_JUST_CREATED) {
            return new NoSync(SyncRule.JUST_CREATED_BOTH);
        }
        if (selfCurrent == UUID_JUST_CREATED) {
            return new BecomeSyncTarget(BecomeSyncTarget.Kind.SET_BITMAP, SyncRule.JUST_CREATED_SELF);
        }
        if (peerCurrent == UUID_JUST_CREATED) {
            return new BecomeSyncSource(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.JUST_CREATED_PEER);
        }
        if (selfCurrent == peerCurrent) {
            return equalCurrents(self, peer);
        }
        return bitmapRules(self, peer, selfCurrent, peerCurrent)
                .orElseGet(() -> historyRules(self, peer, selfCurrent, peerCurrent));
    }

    /** Same generation on both sides: only missed resync events, crashes or lost quorum can call for a resync. */
    private static SyncDecision equalCurrents(SyncInput self, SyncInput peer) {
        // A Primary that lost quorum (frozen, its writes held) meets a node of its own generation: nobody went on
        // without it (that would be a new generation), so its data is the newest; it is source of the blocks either
        // side marked, whatever the bitmap ids say (a peer's restart may have given it one for us). As target it
        // would meet rr-conflict and never regain quorum.
        if (self.primary() != peer.primary() && (self.primary() ? self : peer).lostQuorumAsPrimary()) {
            return bitmapResync(self.primary(), SyncRule.LOST_QUORUM);
        }
        long selfBitmap = self.bitmapForPeer();
        long peerBitmap = peer.bitmapForPeer();
        // 8.4 rules 34-37: one side still tracks changes for the other although they share a generation, so a
        // resync's start or end did not reach both. The history positions tell which event was missed.
        if (peerBitmap == 0 && selfBitmap != 0) {
            boolean iMissedFinish = selfBitmap == peer.history(0) && self.history(0) == peer.history(1);
            return new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP,
                    iMissedFinish ? SyncRule.SYNC_SOURCE_MISSED_FINISH : SyncRule.SYNC_SOURCE_PEER_MISSED_FINISH);
        }
        if (selfBitmap == 0 && peerBitmap != 0) {
            boolean peerMissedFinish = self.history(0) == peerBitmap && self.history(1) == peer.history(0);
            return new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP,
                    peerMissedFinish ? SyncRule.SYNC_TARGET_PEER_MISSED_FINISH : SyncRule.SYNC_TARGET_MISSED_FINISH);
        }
        if (self.reconnect() && peer.reconnect()) {
            return new NoSync(SyncRule.RECONNECTED);
        }
        boolean someoneCrashed = self.crashedPrimary() || peer.crashedPrimary();
        if (someoneCrashed && (self.primary() || peer.primary())) {
            // 8.4 rule 41: the current Primary is source; two Primaries cannot both keep their writes.
            if (self.primary() && peer.primary()) {
                return new SplitBrain(false, SyncRule.CRASHED_PRIMARY);
            }
            return bitmapResync(self.primary(), SyncRule.CRASHED_PRIMARY);
        }
        // A side that lost quorum as Primary and was demoted since is not made target for it (drbd.md's reading of
        // DRBD's rule): the writes it completed before the loss are acknowledged, and a peer outside the partition
        // that had quorum lacks them. Its marked blocks decide, as for any two sides of one generation (simulation
        // seed -4898550218899980710).
        // 8.4 rule 40, both Secondary: a crashed Primary has writes the peer may lack, so it is source; if both
        // crashed, the holder of RESOLVE_CONFLICTS is target (8.4 "dc ? -1 : 1", DRBD 9 both-off). No crash: no-sync.
        if (self.crashedPrimary() && peer.crashedPrimary()) {
            return bitmapResync(!self.resolveConflicts(), SyncRule.BOTH_OFF);
        }
        if (someoneCrashed) {
            return bitmapResync(self.crashedPrimary(), SyncRule.BOTH_OFF);
        }
        return new NoSync(SyncRule.BOTH_OFF);
    }

    /** The three mirror-paired levels of bitmap rules; empty if none decides. */
    private static Optional<SyncDecision> bitmapRules(
            SyncInput self, SyncInput peer, long selfCurrent, long peerCurrent) {
        // bitmap-peer (50) / bitmap-self (70): the other side recorded changes since my current generation.
        boolean target = selfCurrent == peer.bitmapForPeer();
        boolean source = self.bitmapForPeer() == peerCurrent;
        if (target != source) {
            return Optional.of(target
                    ? new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BITMAP_PEER)
                    : new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.BITMAP_SELF));
        }
        // bitmap-peer-other / bitmap-self-other: the changes are recorded in a slot for a third node.
        target = peer.otherBitmapsContain(selfCurrent);
        source = self.otherBitmapsContain(peerCurrent);
        if (target != source) {
            return Optional.of(target
                    ? new BecomeSyncTarget(BecomeSyncTarget.Kind.CLEAR_BITMAP, SyncRule.BITMAP_PEER_OTHER)
                    : new BecomeSyncSource(BecomeSyncSource.Kind.COPY_OTHER_BITMAP, SyncRule.BITMAP_SELF_OTHER));
        }
        // 8.4 rules 51 / 71: the source had already moved its bitmap id on by UUID_NEW_BM_OFFSET for a resync
        // whose P_SYNC_UUID never arrived; the bitmap from before that start is still valid.
        target = missedStart(selfCurrent, peer);
        source = missedStart(peerCurrent, self);
        if (target != source) {
            return Optional.of(target
                    ? new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.SYNC_TARGET_MISSED_START)
                    : new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.SYNC_SOURCE_MISSED_START));
        }
        return Optional.empty();
    }

    /** Whether {@code source} started a resync toward the node whose current is {@code targetCurrent}. */
    private static boolean missedStart(long targetCurrent, SyncInput source) {
        long newest = source.history(0);
        return targetCurrent == newest && newest + UUID_NEW_BM_OFFSET == source.bitmapForPeer();
    }

    /** history-peer / history-self (full sync), then bitmap-both, history-both, unrelated data. */
    private static SyncDecision historyRules(SyncInput self, SyncInput peer, long selfCurrent, long peerCurrent) {
        // Asymmetry is required: if each current is in the other's history, neither side is simply older.
        boolean mineInPeers = peer.ids().historyContains(selfCurrent);
        boolean peersInMine = self.ids().historyContains(peerCurrent);
        if (mineInPeers && !peersInMine) {
            return new BecomeSyncTarget(BecomeSyncTarget.Kind.SET_BITMAP, SyncRule.HISTORY_PEER);
        }
        if (peersInMine && !mineInPeers) {
            return new BecomeSyncSource(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.HISTORY_SELF);
        }
        long selfBitmap = self.bitmapForPeer();
        if (selfBitmap != 0 && selfBitmap == peer.bitmapForPeer()) {
            return new SplitBrain(true, SyncRule.BITMAP_BOTH);
        }
        if (shareHistory(self, peer)) {
            return new SplitBrain(false, SyncRule.HISTORY_BOTH);
        }
        return new UnrelatedData(SyncRule.UNRELATED_DATA);
    }

    /**
     * Whether the two lineages share an id: a history entry, or a bitmap id (a generation its node left, recording
     * changes for a peer since) — each side's bitmap id for the other found in the other's history is as much a
     * common ancestor as a shared history entry (both moved on from it: a split brain, not unrelated data). Empty
     * entries and JUST_CREATED are no common ancestor.
     */
    private static boolean shareHistory(SyncInput self, SyncInput peer) {
        for (long id : lineage(self)) {
            if (id != 0 && id != UUID_JUST_CREATED && lineage(peer).contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** A node's past generations: its history and its bitmap ids, masked. */
    private static java.util.Set<Long> lineage(SyncInput side) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < GenerationIds.HISTORY_SIZE; i++) {
            ids.add(GenerationIds.mask(side.history(i)));
        }
        for (long bitmap : side.ids().bitmaps()) {
            ids.add(GenerationIds.mask(bitmap));
        }
        ids.remove(0L);
        return ids;
    }

    private static SyncDecision bitmapResync(boolean selfIsSource, SyncRule rule) {
        return selfIsSource
                ? new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, rule)
                : new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, rule);
    }

    private static long orJustCreated(long maskedCurrent) {
        return maskedCurrent == 0 ? UUID_JUST_CREATED : maskedCurrent;
    }
}

package io.replicator.core.generation;

import io.replicator.core.generation.HandshakeOutcome.Action;
import io.replicator.core.generation.HandshakeOutcome.Handler;
import io.replicator.core.generation.SyncDecision.BecomeSyncSource;
import io.replicator.core.generation.SyncDecision.BecomeSyncTarget;
import io.replicator.core.generation.SyncDecision.NoSync;
import io.replicator.core.generation.SyncDecision.SplitBrain;
import io.replicator.core.generation.SyncDecision.UnrelatedData;
import io.replicator.core.state.DiskState;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole connect-time handshake decision (DRBD 8.4 {@code drbd_sync_handshake}; drbd.md §4 "8.4 handshake after
 * the compare", §5) as one pure function: the id comparison, then the steps that may override, resolve or refuse
 * its result.
 *
 * <ol>
 *   <li>Two UpToDate sides of one generation that both replicate from a Primary hold its data: no-sync
 *       ({@link SyncRule#SAME_PRIMARY}).</li>
 *   <li>{@link SyncDecider#decide}; unrelated data drops the connection. Under protocol C the survivor of a crashed
 *       Primary is source; between two sides of one current generation, the side that applied the later writes of
 *       their Primary ({@link LastWrite}) is.</li>
 *   <li>Exactly one side Inconsistent (the other better): that side is target ({@link DiskStateOverride}) — unless
 *       it follows a Primary's generation and the ids make it source or find a split brain.</li>
 *   <li>A split brain (8.4's |result| = 100): this node runs {@code initial-split-brain}.</li>
 *   <li>An auto-recoverable split brain, or any with always-asbp: after-sb-0pri, -1pri or -2pri by the number of
 *       Primaries <em>now</em>. A resolution is a bitmap resync, or a full one for a split brain that was not
 *       auto-recoverable. With quorum, a side that lost it as Primary is discarded first, and -1pri never discards a
 *       Secondary holding writes of another Primary for this one.</li>
 *   <li>Still unresolved: the side that asked for {@code --discard-my-data} is target (if both asked, nobody is);
 *       otherwise {@code split-brain} runs and the connection drops. A manual resolution resyncs the union of both
 *       bitmaps, or everything if the ids are related only through history (drbd.md §5, manual recovery).</li>
 *   <li>A no-sync between equal generations while blocks are marked on either side resyncs those blocks instead
 *       ({@link SyncRule#MARKED_BLOCKS}): equal ids must never hide copies that differ. Between a replica of a
 *       Primary and a side that cannot say how far it got, nothing: the latter resyncs from the Primary first.</li>
 *   <li>A resync whose source asked for {@code --discard-my-data} (and the other side did not) is turned around:
 *       "reverting to older data".</li>
 *   <li>A source whose disk is not better than Inconsistent is refused (for now, if it follows a Primary: it
 *       connects again once its resync is done). A target that replicates from another
 *       Primary (its data in use there) is not resynced from here: the connection is tried again later. A target
 *       that is Primary with a disk at least Consistent, when there is something to resync, meets rr-conflict.</li>
 * </ol>
 *
 * <h2>Symmetry</h2>
 * Both nodes run this with the sides swapped, and must agree without talking again: one source and one target, or
 * both no-sync, or both drop the connection the same way. So every step looks at both sides, never only at "self":
 * the source-disk check and rr-conflict are evaluated for whichever side would be source or target, on both nodes.
 * This needs both nodes to hold the same {@link SplitBrainPolicies} (up to {@link SplitBrainPolicies#mirror()}), the
 * two RESOLVE_CONFLICTS flags to differ, and {@code changedBlocks} to be exchanged. Only the handlers differ: each
 * node runs those that concern itself.
 *
 * <h2>Departures from 8.4</h2>
 * <ul>
 *   <li>8.4 evaluates rr-conflict only on the would-be target, so a refusing target leaves its peer starting a
 *       resync until the connection drops; here both sides see the refusal.</li>
 *   <li>A Primary discarded by call-pri-lost-after-sb is assumed to demote (its handler says so), so rr-conflict is
 *       not applied to it, as in 8.4 after a successful demotion. If demotion fails, the node runs the handler and
 *       drops the connection; the peer learns of it by the disconnect.</li>
 *   <li>rr-conflict applies only when the resync would change blocks on the Primary (drbd.md §5 "with bits set"):
 *       a full sync, a resync from another node's bitmap, or some changed block on either side.</li>
 * </ul>
 */
public final class HandshakeDecider {
    private HandshakeDecider() {
    }

    /**
     * Decides the handshake between this node ({@code self}) and {@code peer}.
     *
     * @param policies this node's policies ({@code discard-node-NAME} already resolved for this node)
     * @throws IllegalArgumentException if both or neither side hold RESOLVE_CONFLICTS
     */
    public static HandshakeOutcome decide(HandshakeSide self, HandshakeSide peer, SplitBrainPolicies policies) {
        return decide(self, peer, policies, false);
    }

    /**
     * {@link #decide(HandshakeSide, HandshakeSide, SplitBrainPolicies)} for a connection that replicates with
     * {@code protocolC}: then a Primary that crashed is not the source of the resync with a peer that did not crash
     * (drbd.md §4: DRBD 9 applies the crashed-primary rule to protocols A and B only). Under protocol C every write
     * the crashed Primary acknowledged is on that peer, while the crashed Primary's own disk may have lost the
     * unflushed part of it in the crash; what only the crashed Primary holds was never acknowledged.
     */
    public static HandshakeOutcome decide(HandshakeSide self, HandshakeSide peer, SplitBrainPolicies policies,
            boolean protocolC) {
        if (self.servesPrimary() && peer.servesPrimary() && self.disk() == DiskState.UP_TO_DATE
            && peer.disk() == DiskState.UP_TO_DATE && GenerationIds.mask(self.sync().ids().current())
                == GenerationIds.mask(peer.sync().ids().current())) {
            SyncDecision same = new NoSync(SyncRule.SAME_PRIMARY);
            return new Steps(same.logLine()).outcome(same, Action.PROCEED);
        }
        SyncDecision compared = SyncDecider.decide(self.sync(), peer.sync());
        Steps steps = new Steps(compared.logLine());
        if (protocolC) {
            compared = SameGenerationRules.survivorIsSource(compared, self, peer, steps);
        }
        compared = SameGenerationRules.laterWritesWin(compared, self, peer, steps);
        compared = SameGenerationRules.outdatedIsNoSourceByAGuess(compared, self, peer, steps);

        boolean selfInconsistent = self.disk() == DiskState.INCONSISTENT && better(peer.disk());
        boolean peerInconsistent = peer.disk() == DiskState.INCONSISTENT && better(self.disk());
        SyncDecision decision = DiskStateOverride.apply(compared, selfInconsistent, peerInconsistent,
            selfInconsistent ? self.followsPrimary() : peer.followsPrimary());
        if (!decision.equals(compared)) {
            steps.add((selfInconsistent ? "our disk is Inconsistent, the peer's is not" :
                "the peer's disk is Inconsistent, ours is not") + ": " + direction(decision));
        }
        if (decision instanceof UnrelatedData) {
            steps.add("unrelated data, aborting");
            return steps.outcome(decision, Action.DISCONNECT);
        }
        boolean targetDemotes = false;
        if (decision instanceof SplitBrain splitBrain) {
            steps.handler(Handler.INITIAL_SPLIT_BRAIN);
            steps.add(splitBrain.autoRecoverable() ? "split brain"
                : "split brain, not auto-recoverable (" + splitBrain.rule().drbdName() + ")");
            int resolved = 0;
            if (splitBrain.autoRecoverable() || policies.alwaysAsbp()) {
                Resolution resolution = afterSplitBrain(self, peer, policies, steps);
                resolved = resolution.direction();
                targetDemotes = resolution.targetDemotes();
            } else {
                steps.add("always-asbp is off");
            }
            if (resolved == 0) {
                resolved = discardMyData(self, peer, steps);
            }
            if (resolved == 0) {
                steps.handler(Handler.SPLIT_BRAIN);
                steps.add("unresolved, dropping the connection");
                return steps.outcome(decision, Action.DISCONNECT);
            }
            decision = resolve(splitBrain, resolved);
            if (targetDemotes && decision.isSyncTarget()) {
                steps.handler(Handler.DEMOTE_ELSE_PRI_LOST_AFTER_SB);
            }
            steps.add(direction(decision));
        }
        if (decision instanceof NoSync noSync && (self.changedBlocks() > 0 || peer.changedBlocks() > 0)) {
            if (SameGenerationRules.mustAskThePrimaryFirst(self, peer)) {
                steps.add("blocks are marked, but " + (self.servesPrimary() ? "the peer" : "this node")
                    + " cannot tell how far it got with the Primary; it resyncs from the Primary first");
                return steps.outcome(decision, Action.RETRY_CONNECT);
            }
            decision = SameGenerationRules.reconcileMarkedBlocks(noSync, self, peer, steps);
        }
        if (decision instanceof NoSync) {
            return steps.outcome(decision, Action.PROCEED);
        }
        decision = revertToOlderData(decision, self, peer, steps);
        return refuseOrProceed(decision, self, peer, policies.rrConflict(), targetDemotes, steps);
    }

    /**
     * Step 6: a resync whose source is the side that asked for {@code --discard-my-data} (and the other did not) is
     * turned around — "reverting to older data" — if the other side's disk can be a source. Before rr-conflict: a
     * Primary that asked becomes target only as rr-conflict allows (it would otherwise keep serving, and
     * acknowledging writes, on a disk made Inconsistent under it).
     */
    private static SyncDecision revertToOlderData(SyncDecision decision, HandshakeSide self, HandshakeSide peer,
            Steps steps) {
        if (self.discardMyData() == peer.discardMyData()
            || (self.discardMyData() ? !decision.isSyncSource() : !decision.isSyncTarget())) {
            return decision;
        }
        HandshakeSide newSource = self.discardMyData() ? peer : self;
        if (!better(newSource.disk())) {
            return decision;
        }
        SyncDecision reversed = decision.mirror();
        steps.add("reverting to older data: " + (self.discardMyData() ? "we" : "the peer")
            + " asked for --discard-my-data: " + direction(reversed));
        return reversed;
    }

    /** Step 5: the source must have consistent data; a Primary target meets rr-conflict. */
    static HandshakeOutcome refuseOrProceed(SyncDecision decision, HandshakeSide self, HandshakeSide peer,
            RrConflict rrConflict, boolean targetDemotes, Steps steps) {
        boolean selfIsSource = decision.isSyncSource();
        HandshakeSide source = selfIsSource ? self : peer;
        HandshakeSide target = selfIsSource ? peer : self;
        if (!better(source.disk())) {
            steps.add((selfIsSource ? "we" : "the peer") + " would become sync source, but "
                + (selfIsSource ? "our" : "its") + " disk is " + source.disk().drbdName());
            if (source.followsPrimary() && better(target.disk())) {
                // It holds some writes of a Primary's generation the other side lacks (DiskStateOverride), and
                // resyncs the rest from elsewhere. Not for good.
                steps.add((selfIsSource ? "we hold" : "it holds") + " writes of a newer Primary's generation: "
                    + "connecting again once " + (selfIsSource ? "our" : "its") + " resync is done (if that "
                    + "generation was discarded, 'connect --discard-my-data' on " + (selfIsSource ? "this node" : "it")
                    + ")");
                return steps.outcome(decision, Action.RETRY_CONNECT);
            }
            if (target.disk() == DiskState.INCONSISTENT) {
                // Neither can be source: both are mid-resync (from a third node, each) or were cut in one. Not for
                // good: once one of them is done, they decide again (NemesisIT on real daemons, seed
                // -2871941046277847608: the pair went StandAlone and needed a manual connect).
                steps.add("both disks are Inconsistent: connecting again once one of them was resynced");
                return steps.outcome(decision, Action.RETRY_CONNECT);
            }
            return steps.outcome(decision, Action.DISCONNECT);
        }
        if (target.servesPrimary() && target.disk().isAtLeast(DiskState.OUTDATED)) {
            // Its data is in use by another Primary, whose writes keep coming: a resync from here would change it
            // under them (and leave the two apart). It resyncs from that Primary; try again later. Outdated too: it
            // fell behind that Primary, which resyncs it, and its later writes are on it already.
            steps.add((selfIsSource ? "the peer" : "we") + " would become sync target while replicating from "
                + "another Primary");
            return steps.outcome(decision, Action.RETRY_CONNECT);
        }
        boolean changesPrimary = !isBitmapResync(decision) || self.changedBlocks() + peer.changedBlocks() > 0;
        if (!target.primary() || !target.disk().isAtLeast(DiskState.CONSISTENT) || targetDemotes || !changesPrimary) {
            return steps.outcome(decision, Action.PROCEED);
        }
        String who = selfIsSource ? "the peer would become sync target while Primary"
            : "we would become sync target while Primary";
        steps.add(who + ": rr-conflict " + rrConflict.drbdName());
        return switch (rrConflict) {
            case DISCONNECT -> steps.outcome(decision, Action.DISCONNECT);
            case RETRY_CONNECT -> steps.outcome(decision, Action.RETRY_CONNECT);
            case VIOLENTLY -> {
                steps.add("violating the stable-data assumption");
                yield steps.outcome(decision, Action.PROCEED);
            }
            case CALL_PRI_LOST -> {
                if (!selfIsSource) {
                    steps.handler(Handler.PRI_LOST);
                }
                yield steps.outcome(decision, Action.DISCONNECT);
            }
            case AUTO_DISCARD -> {
                if (decision.rule() == SyncRule.CRASHED_PRIMARY && isBitmapResync(decision) && !source.primary()) {
                    SyncDecision reversed = decision.isSyncSource()
                        ? new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, decision.rule())
                        : new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, decision.rule());
                    steps.add("reversing the resync, the crashed Primary's unreplicated writes are rolled back: "
                        + direction(reversed));
                    yield steps.outcome(reversed, Action.PROCEED);
                }
                steps.add("auto-discard applies only to a bitmap resync by the crashed-primary rule onto the only "
                    + "Primary");
                yield steps.outcome(decision, Action.DISCONNECT);
            }
        };
    }

    /** Step 3: the after-sb policy for the number of Primaries now. */
    private static Resolution afterSplitBrain(HandshakeSide self, HandshakeSide peer, SplitBrainPolicies policies,
            Steps steps) {
        boolean selfLost = self.sync().lostQuorumAsPrimary();
        boolean peerLost = peer.sync().lostQuorumAsPrimary();
        if (selfLost != peerLost) {
            // drbd.md §10: the side with quorum wins. The other lost it as Primary and completed no write since;
            // what it holds beyond the split was never acknowledged, while the other side's partition may have
            // acknowledged writes with quorum. Before any after-sb policy (discard-secondary would keep a frozen
            // Primary's data).
            steps.add((selfLost ? "we" : "the peer") + " lost quorum as Primary: " + (selfLost ? "we are" : "it is")
                + " discarded");
            boolean loserIsPrimary = selfLost ? self.primary() : peer.primary();
            return new Resolution(selfLost ? -1 : 1, loserIsPrimary);
        }
        if (selfLost && self.ackedAsPrimary() != peer.ackedAsPrimary()) {
            // Both lost quorum as Primary: one of them completed writes since its promotion (with quorum), the other
            // never did (promoted on a view of its links that was already stale). The acknowledged writes are kept
            // (simulation seed 8970739145452768640).
            boolean selfDiscarded = !self.ackedAsPrimary();
            steps.add("both lost quorum as Primary; only " + (selfDiscarded ? "the peer" : "we") + " completed "
                + "writes as Primary: " + (selfDiscarded ? "we are" : "it is") + " discarded");
            return new Resolution(selfDiscarded ? -1 : 1, selfDiscarded ? self.primary() : peer.primary());
        }
        int primaries = (self.primary() ? 1 : 0) + (peer.primary() ? 1 : 0);
        return switch (primaries) {
            case 0 -> {
                steps.add("after-sb-0pri " + policies.afterSb0pri().drbdName());
                yield new Resolution(recover0pri(policies.afterSb0pri(), self, peer, steps), false);
            }
            case 1 -> keepAnotherPrimarysWrites(recover1pri(policies, self, peer, steps), self, peer, steps);
            default -> recover2pri(policies, self, peer, steps);
        };
    }

    /**
     * after-sb-0pri (DRBD {@code drbd_asb_recover_0p}); also the "0pri result" of the 1pri and 2pri policies.
     *
     * @return +1 if this node is source, −1 if target, 0 if undecided
     */
    private static int recover0pri(AfterSb0pri policy, HandshakeSide self, HandshakeSide peer, Steps steps) {
        return switch (policy) {
            case DISCONNECT -> 0;
            case DISCARD_YOUNGER_PRIMARY, DISCARD_OLDER_PRIMARY -> byRoleAtSplit(policy, self, peer, steps);
            case DISCARD_ZERO_CHANGES -> zeroChanges(self, peer, steps);
            case DISCARD_LEAST_CHANGES -> leastChanges(self, peer, steps);
            case DISCARD_LOCAL -> -1;
            case DISCARD_REMOTE -> 1;
        };
    }

    /**
     * discard-younger-primary keeps the side that was already Primary at the split, discard-older-primary discards
     * it; if both or neither were, 8.4 falls through to the changes tests ("did not find a decision, using
     * discard-least-changes").
     */
    private static int byRoleAtSplit(AfterSb0pri policy, HandshakeSide self, HandshakeSide peer, Steps steps) {
        boolean selfWas = self.sync().wasPrimaryAtSplit();
        boolean peerWas = peer.sync().wasPrimaryAtSplit();
        if (selfWas != peerWas) {
            steps.add((selfWas ? "we were" : "the peer was") + " Primary at the split, "
                + (selfWas ? "the peer was not" : "we were not"));
            boolean keepOlder = policy == AfterSb0pri.DISCARD_YOUNGER_PRIMARY;
            return selfWas == keepOlder ? 1 : -1;
        }
        steps.add((selfWas ? "both were" : "neither was") + " Primary at the split, using discard-least-changes");
        return leastChanges(self, peer, steps);
    }

    /** discard-zero-changes: as discard-least-changes while at most one side wrote; both wrote: undecided. */
    private static int zeroChanges(HandshakeSide self, HandshakeSide peer, Steps steps) {
        if (self.changedBlocks() > 0 && peer.changedBlocks() > 0) {
            steps.add("both wrote (we " + self.changedBlocks() + " blocks, the peer " + peer.changedBlocks() + ")");
            return 0;
        }
        return leastChanges(self, peer, steps);
    }

    /**
     * Fewer changes are discarded; equal changes go to RESOLVE_CONFLICTS, whose holder is discarded. With at most one
     * side having written this is discard-zero-changes.
     */
    private static int leastChanges(HandshakeSide self, HandshakeSide peer, Steps steps) {
        long mine = self.changedBlocks();
        long theirs = peer.changedBlocks();
        if (mine == 0 && theirs == 0) {
            steps.add("nobody wrote, " + (self.sync().resolveConflicts() ? "we hold" : "the peer holds")
                + " RESOLVE_CONFLICTS");
            return self.sync().resolveConflicts() ? -1 : 1;
        }
        if (mine == 0 || theirs == 0) {
            steps.add(mine == 0 ? "the peer wrote, we did not" : "we wrote, the peer did not");
            return mine == 0 ? -1 : 1;
        }
        if (mine != theirs) {
            steps.add("we changed " + mine + " blocks, the peer " + theirs);
            return mine < theirs ? -1 : 1;
        }
        steps.add("both changed " + mine + " blocks, " + (self.sync().resolveConflicts() ? "we hold"
            : "the peer holds") + " RESOLVE_CONFLICTS");
        return self.sync().resolveConflicts() ? -1 : 1;
    }

    /** after-sb-1pri (DRBD {@code drbd_asb_recover_1p}). */
    private static Resolution recover1pri(SplitBrainPolicies policies, HandshakeSide self, HandshakeSide peer,
            Steps steps) {
        AfterSb1pri policy = policies.afterSb1pri();
        steps.add("after-sb-1pri " + policy.drbdName());
        return switch (policy) {
            case DISCONNECT -> new Resolution(0, false);
            case DISCARD_SECONDARY -> {
                steps.add((self.primary() ? "we are" : "the peer is") + " Primary");
                yield new Resolution(self.primary() ? 1 : -1, false);
            }
            case CONSENSUS -> new Resolution(consensus(as0pri(policies, self, peer, steps), self, peer, steps), false);
            case VIOLENTLY_AS0P -> new Resolution(as0pri(policies, self, peer, steps), false);
            case CALL_PRI_LOST_AFTER_SB -> primaryLoses(as0pri(policies, self, peer, steps), self, peer, steps);
        };
    }

    /**
     * With quorum, an after-sb-1pri resolution does not discard a Secondary that last applied writes of another
     * Primary ({@link HandshakeSide#heldForAnotherPrimary}) for this one: that Primary may have completed them with the
     * Secondary's vote, and this one — promoted earlier, on a view of its links that may be stale — would regain
     * quorum through the Secondary and complete writes after them (simulation seed -4391955019380882052). Left
     * StandAlone, as DRBD leaves a split brain its policies do not resolve.
     */
    private static Resolution keepAnotherPrimarysWrites(Resolution resolved, HandshakeSide self, HandshakeSide peer,
            Steps steps) {
        HandshakeSide secondary = self.primary() ? peer : self;
        boolean secondaryDiscarded = self.primary() ? resolved.direction() > 0 : resolved.direction() < 0;
        if (secondaryDiscarded && secondary.heldForAnotherPrimary()) {
            steps.add((secondary == self ? "we hold" : "the peer holds") + " writes of another Primary, "
                + "not discarded for this one");
            return new Resolution(0, false);
        }
        return resolved;
    }

    /** consensus: the 0pri result stands only if it discards the Secondary. */
    private static int consensus(int as0pri, HandshakeSide self, HandshakeSide peer, Steps steps) {
        boolean targetIsPrimary = as0pri == 1 ? peer.primary() : as0pri == -1 && self.primary();
        if (targetIsPrimary) {
            steps.add("that would discard the Primary, no consensus");
            return 0;
        }
        return as0pri;
    }

    /** after-sb-2pri (DRBD {@code drbd_asb_recover_2p}). */
    private static Resolution recover2pri(SplitBrainPolicies policies, HandshakeSide self, HandshakeSide peer,
            Steps steps) {
        AfterSb2pri policy = policies.afterSb2pri();
        steps.add("after-sb-2pri " + policy.drbdName());
        return switch (policy) {
            case DISCONNECT -> new Resolution(0, false);
            case VIOLENTLY_AS0P -> new Resolution(as0pri(policies, self, peer, steps), false);
            case CALL_PRI_LOST_AFTER_SB -> primaryLoses(as0pri(policies, self, peer, steps), self, peer, steps);
        };
    }

    /** The after-sb-0pri result, for a 1pri or 2pri policy that takes it. */
    private static int as0pri(SplitBrainPolicies policies, HandshakeSide self, HandshakeSide peer, Steps steps) {
        steps.add("as after-sb-0pri " + policies.afterSb0pri().drbdName());
        return recover0pri(policies.afterSb0pri(), self, peer, steps);
    }

    /** call-pri-lost-after-sb: the 0pri result stands; a discarded Primary must demote (or run the handler). */
    private static Resolution primaryLoses(int as0pri, HandshakeSide self, HandshakeSide peer, Steps steps) {
        boolean targetIsPrimary = as0pri == 1 ? peer.primary() : as0pri == -1 && self.primary();
        if (targetIsPrimary) {
            steps.add((as0pri == -1 ? "we" : "the peer") + " must demote, else call pri-lost-after-sb");
        }
        return new Resolution(as0pri, targetIsPrimary);
    }

    /** Step 4: {@code --discard-my-data}. */
    private static int discardMyData(HandshakeSide self, HandshakeSide peer, Steps steps) {
        if (self.discardMyData() && peer.discardMyData()) {
            steps.add("both asked for --discard-my-data");
            return 0;
        }
        if (self.discardMyData() || peer.discardMyData()) {
            steps.add((self.discardMyData() ? "we" : "the peer") + " asked for --discard-my-data");
            HandshakeSide keeper = self.discardMyData() ? peer : self;
            if (!better(keeper.disk())) {
                // Nothing to keep instead: the other side's data is Inconsistent. Left to the operator.
                steps.add("but " + (keeper == self ? "our" : "its") + " disk is " + keeper.disk().drbdName());
                return 0;
            }
            return self.discardMyData() ? -1 : 1;
        }
        return 0;
    }

    /**
     * A resolved split brain: bitmap-based if it was auto-recoverable (both bitmaps start at the split), otherwise
     * a full sync. The comparison's rule is kept for the log.
     */
    private static SyncDecision resolve(SplitBrain splitBrain, int direction) {
        boolean full = splitBrain.needsFullSync();
        return direction > 0
            ? new BecomeSyncSource(full ? BecomeSyncSource.Kind.SET_BITMAP : BecomeSyncSource.Kind.USE_BITMAP,
                splitBrain.rule())
            : new BecomeSyncTarget(full ? BecomeSyncTarget.Kind.SET_BITMAP : BecomeSyncTarget.Kind.USE_BITMAP,
                splitBrain.rule());
    }

    /** Whether the resync uses only the two sides' bitmaps toward each other (so changed blocks bound it). */
    static boolean isBitmapResync(SyncDecision decision) {
        return (decision instanceof BecomeSyncSource source && source.kind() == BecomeSyncSource.Kind.USE_BITMAP)
            || (decision instanceof BecomeSyncTarget target && target.kind() == BecomeSyncTarget.Kind.USE_BITMAP);
    }

    /** Whether {@code disk} is better than Inconsistent (may serve as sync source). */
    static boolean better(DiskState disk) {
        return disk.compareTo(DiskState.INCONSISTENT) > 0;
    }

    static String direction(SyncDecision decision) {
        String how = decision.needsFullSync() ? " (full sync)" : " (" + decision.strategyName() + ")";
        return decision.isSyncSource() ? "we become source" + how
            : decision.isSyncTarget() ? "we become target" + how : decision.strategyName();
    }

    /**
     * The direction a split-brain policy chose and whether the target is a Primary that must demote.
     *
     * @param direction     +1 this node is source, −1 target, 0 undecided (DRBD's hg)
     * @param targetDemotes the target is Primary and call-pri-lost-after-sb makes it demote
     */
    private record Resolution(int direction, boolean targetDemotes) {
    }

    /** The explanation and handlers collected on the way to an outcome. */
    static final class Steps {
        private final String comparison;
        private final List<String> steps = new ArrayList<>();
        private final List<Handler> handlers = new ArrayList<>();

        Steps(String comparison) {
            this.comparison = comparison;
        }

        void add(String step) {
            steps.add(step);
        }

        void handler(Handler handler) {
            handlers.add(handler);
        }

        HandshakeOutcome outcome(SyncDecision decision, Action action) {
            String explanation = steps.isEmpty() ? comparison : comparison + "; " + String.join(": ", steps);
            return new HandshakeOutcome(decision, action, handlers, explanation);
        }
    }
}

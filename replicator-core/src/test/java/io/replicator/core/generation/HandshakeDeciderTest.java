package io.replicator.core.generation;

import static io.replicator.core.generation.HandshakeOutcome.Action.DISCONNECT;
import static io.replicator.core.generation.HandshakeOutcome.Action.PROCEED;
import static io.replicator.core.generation.HandshakeOutcome.Action.RETRY_CONNECT;
import static io.replicator.core.generation.HandshakeOutcome.Handler.DEMOTE_ELSE_PRI_LOST_AFTER_SB;
import static io.replicator.core.generation.HandshakeOutcome.Handler.INITIAL_SPLIT_BRAIN;
import static io.replicator.core.generation.HandshakeOutcome.Handler.PRI_LOST;
import static io.replicator.core.generation.HandshakeOutcome.Handler.SPLIT_BRAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.config.NetConfig;
import io.replicator.core.generation.SyncDecision.BecomeSyncSource;
import io.replicator.core.generation.SyncDecision.BecomeSyncTarget;
import io.replicator.core.state.DiskState;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Example runs of the handshake after the comparison: every after-sb value once resolving and once falling through,
 * discard-my-data, the handlers, rr-conflict and the source-disk refusal. Every example is also decided from the
 * peer's side ({@link #decide}), which must reach the same action and the mirror decision.
 *
 * <p>"Self" holds RESOLVE_CONFLICTS unless a test says otherwise; "changes" are the dirty bits toward the other side.
 */
@Timeout(10)
class HandshakeDeciderTest {
    private static final long SELF_CURRENT = 0x1000L;
    private static final long PEER_CURRENT = 0x2000L;
    private static final long SPLIT = 0x3000L;
    private static final long ANCESTOR = 0x4000L;
    private static final long OLD_SELF = 0x5000L;
    private static final long OLD_PEER = 0x6000L;

    private static final SyncDecision TARGET_BY_BITMAP =
        new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BITMAP_BOTH);
    private static final SyncDecision SOURCE_BY_BITMAP =
        new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.BITMAP_BOTH);

    // --- after-sb-0pri

    @Test
    void afterSb0pri_disconnect_fallsThroughToDisconnect() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(1), peer(), policies(AfterSb0pri.DISCONNECT));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.decision()).isInstanceOf(SyncDecision.SplitBrain.class);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
    }

    @Test
    void afterSb0pri_disconnect_leavesTheChoiceToDiscardMyData() {
        HandshakeOutcome outcome = decide(self(), peer().withDiscardMyData(true), policies(AfterSb0pri.DISCONNECT));

        assertProceeds(outcome, SOURCE_BY_BITMAP);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN);
    }

    @Test
    void afterSb0pri_discardYoungerPrimary_resolves_whenOnlyPeerWasPrimaryAtSplit() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(1), wasPrimaryAtSplit(peer()).withChangedBlocks(9),
            policies(AfterSb0pri.DISCARD_YOUNGER_PRIMARY));

        assertProceeds(outcome, TARGET_BY_BITMAP);
        assertThat(outcome.explanation()).contains("the peer was Primary at the split, we were not");
    }

    @Test
    void afterSb0pri_discardYoungerPrimary_fallsThroughToLeastChanges_whenBothWerePrimaryAtSplit() {
        HandshakeOutcome outcome = decide(wasPrimaryAtSplit(self()).withChangedBlocks(9),
            wasPrimaryAtSplit(peer()).withChangedBlocks(2), policies(AfterSb0pri.DISCARD_YOUNGER_PRIMARY));

        assertProceeds(outcome, SOURCE_BY_BITMAP);
        assertThat(outcome.explanation()).contains("both were Primary at the split, using discard-least-changes");
    }

    @Test
    void afterSb0pri_discardOlderPrimary_resolves_whenOnlyPeerWasPrimaryAtSplit() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(1), wasPrimaryAtSplit(peer()).withChangedBlocks(9),
            policies(AfterSb0pri.DISCARD_OLDER_PRIMARY));

        assertProceeds(outcome, SOURCE_BY_BITMAP);
    }

    @Test
    void afterSb0pri_discardOlderPrimary_fallsThroughToLeastChanges_whenNeitherWasPrimaryAtSplit() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(2), peer().withChangedBlocks(9),
            policies(AfterSb0pri.DISCARD_OLDER_PRIMARY));

        assertProceeds(outcome, TARGET_BY_BITMAP);
        assertThat(outcome.explanation()).contains("neither was Primary at the split, using discard-least-changes");
    }

    @Test
    void afterSb0pri_discardZeroChanges_resolves_whenOnlyPeerWrote() {
        HandshakeOutcome outcome = decide(self(), peer().withChangedBlocks(7),
            policies(AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertProceeds(outcome, TARGET_BY_BITMAP);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN);
        assertThat(outcome.explanation()).isEqualTo("sync decision: split-brain-auto-recover by rule bitmap-both; "
            + "split brain: after-sb-0pri discard-zero-changes: the peer wrote, we did not: "
            + "we become target (target-use-bitmap)");
    }

    @Test
    void afterSb0pri_discardZeroChanges_resolvesByResolveConflicts_whenNobodyWrote() {
        HandshakeOutcome holder = decide(self(), peer(), policies(AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertProceeds(holder, TARGET_BY_BITMAP);
        assertThat(holder.explanation()).contains("nobody wrote, we hold RESOLVE_CONFLICTS");
    }

    @Test
    void afterSb0pri_discardZeroChanges_fallsThroughToDisconnect_whenBothWrote() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(1), peer().withChangedBlocks(7),
            policies(AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
        assertThat(outcome.explanation()).contains("both wrote (we 1 blocks, the peer 7)");
    }

    @Test
    void afterSb0pri_discardLeastChanges_resolves_whenPeerChangedMore() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(3), peer().withChangedBlocks(7),
            policies(AfterSb0pri.DISCARD_LEAST_CHANGES));

        assertProceeds(outcome, TARGET_BY_BITMAP);
    }

    @Test
    void afterSb0pri_discardLeastChanges_resolvesByResolveConflicts_onATie() {
        HandshakeOutcome holder = decide(self().withChangedBlocks(4), peer().withChangedBlocks(4),
            policies(AfterSb0pri.DISCARD_LEAST_CHANGES));

        assertProceeds(holder, TARGET_BY_BITMAP);
        assertThat(holder.explanation()).contains("both changed 4 blocks, we hold RESOLVE_CONFLICTS");
    }

    @Test
    void afterSb0pri_discardLocal_resolves_withThisNodeAsTarget() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(9), peer(), policies(AfterSb0pri.DISCARD_LOCAL));

        assertProceeds(outcome, TARGET_BY_BITMAP);
    }

    @Test
    void afterSb0pri_discardRemote_resolves_withThisNodeAsSource() {
        HandshakeOutcome outcome = decide(self(), peer().withChangedBlocks(9), policies(AfterSb0pri.DISCARD_REMOTE));

        assertProceeds(outcome, SOURCE_BY_BITMAP);
    }

    @Test
    void afterSb0pri_discardNodeName_isDiscardLocalOnTheNamedNodeAndDiscardRemoteOnTheOther() {
        NetConfig net = NetConfig.of(Map.of("after-sb-0pri", "discard-node-alpha"));

        assertThat(SplitBrainPolicies.of(net, "alpha").afterSb0pri()).isEqualTo(AfterSb0pri.DISCARD_LOCAL);
        assertThat(SplitBrainPolicies.of(net, "bravo").afterSb0pri()).isEqualTo(AfterSb0pri.DISCARD_REMOTE);
        assertThat(SplitBrainPolicies.of(net, "bravo")).isEqualTo(SplitBrainPolicies.of(net, "alpha").mirror());
    }

    // --- after-sb-1pri (the peer is the one Primary unless a test says otherwise)

    @Test
    void afterSb1pri_disconnect_fallsThroughToDisconnect() {
        HandshakeOutcome outcome = decide(self(), peer().withPrimary(true).withChangedBlocks(3),
            policies(AfterSb1pri.DISCONNECT, AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
    }

    @Test
    void afterSb1pri_consensus_resolves_whenZeroPriResultDiscardsTheSecondary() {
        HandshakeOutcome outcome = decide(self(), peer().withPrimary(true).withChangedBlocks(3),
            policies(AfterSb1pri.CONSENSUS, AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertProceeds(outcome, TARGET_BY_BITMAP);
    }

    @Test
    void afterSb1pri_consensus_fallsThroughToDisconnect_whenZeroPriResultWouldDiscardThePrimary() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(3), peer().withPrimary(true),
            policies(AfterSb1pri.CONSENSUS, AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.explanation()).contains("that would discard the Primary, no consensus");
    }

    @Test
    void afterSb1pri_violentlyAs0p_resolves_evenAgainstThePrimary() {
        SplitBrainPolicies policies = new SplitBrainPolicies(AfterSb0pri.DISCARD_ZERO_CHANGES,
            AfterSb1pri.VIOLENTLY_AS0P, AfterSb2pri.DISCONNECT, RrConflict.VIOLENTLY, false);

        HandshakeOutcome outcome = decide(self().withChangedBlocks(3), peer().withPrimary(true), policies);

        assertProceeds(outcome, SOURCE_BY_BITMAP);
        assertThat(outcome.explanation()).contains("the peer would become sync target while Primary: "
            + "rr-conflict violently");
    }

    @Test
    void afterSb1pri_violentlyAs0p_isStillRefusedByRrConflictDisconnect_whenItDiscardsThePrimary() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(3), peer().withPrimary(true),
            policies(AfterSb1pri.VIOLENTLY_AS0P, AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.decision()).isEqualTo(SOURCE_BY_BITMAP);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN);
    }

    @Test
    void afterSb1pri_violentlyAs0p_fallsThroughToDisconnect_whenZeroPriIsUndecided() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(3), peer().withPrimary(true).withChangedBlocks(3),
            policies(AfterSb1pri.VIOLENTLY_AS0P, AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
    }

    @Test
    void afterSb1pri_discardSecondary_resolves_withThePrimaryAsSource() {
        HandshakeOutcome outcome = decide(self().withChangedBlocks(50), peer().withPrimary(true),
            policies(AfterSb1pri.DISCARD_SECONDARY, AfterSb0pri.DISCONNECT));

        assertProceeds(outcome, TARGET_BY_BITMAP);
    }

    @Test
    void splitBrain_theSideThatLostQuorumAsPrimaryIsDiscarded_beforeAnyPolicy_andDemotesIfStillPrimary() {
        // A frozen Primary (it lost quorum and completed nothing since) meets a Secondary whose partition went on
        // with quorum: discard-secondary would keep the frozen Primary's data and drop writes acknowledged by a
        // majority (simulation seed 5268110223700252793).
        HandshakeSide frozenPrimary = lostQuorum(self().withPrimary(true).withChangedBlocks(4));
        HandshakeOutcome outcome = decide(frozenPrimary, peer().withChangedBlocks(20),
            policies(AfterSb1pri.DISCARD_SECONDARY, AfterSb0pri.DISCONNECT));

        assertProceeds(outcome, TARGET_BY_BITMAP);
        assertThat(outcome.explanation()).contains("we lost quorum as Primary: we are discarded");
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, DEMOTE_ELSE_PRI_LOST_AFTER_SB);

        HandshakeOutcome bothLost = decide(lostQuorum(self().withChangedBlocks(3)),
            lostQuorum(peer().withChangedBlocks(3)), policies(AfterSb1pri.DISCONNECT, AfterSb0pri.DISCONNECT));
        assertThat(bothLost.action()).as("both lost it: the policies decide").isEqualTo(DISCONNECT);

        // Both lost it, but only the peer completed writes in its generation (with quorum): the peer is kept, even
        // over discard-secondary for this node's Primary (simulation seed 8970739145452768640).
        HandshakeOutcome acked = decide(lostQuorum(self().withPrimary(true).withChangedBlocks(3)),
            lostQuorum(peer().withChangedBlocks(3)).withAckedAsPrimary(true),
            policies(AfterSb1pri.DISCARD_SECONDARY, AfterSb0pri.DISCONNECT));
        assertProceeds(acked, TARGET_BY_BITMAP);
        assertThat(acked.explanation()).contains("only the peer completed writes as Primary");
    }

    private static HandshakeSide lostQuorum(HandshakeSide side) {
        return new HandshakeSide(side.sync().withLostQuorumAsPrimary(true), side.disk(), side.changedBlocks(),
            side.discardMyData(), side.restartedUnclean(), side.servesPrimary(), side.lastWrite());
    }

    /**
     * With quorum: the Secondary last applied writes of a third node, a Primary that may have completed them with its
     * vote; discarded, it would give this Primary (promoted earlier, its view of its links stale) its quorum back
     * (simulation seed -4391955019380882052).
     */
    @Test
    void afterSb1pri_doesNotDiscardASecondaryHoldingAnotherPrimarysWrites() {
        SplitBrainPolicies policies = policies(AfterSb1pri.DISCARD_SECONDARY, AfterSb0pri.DISCONNECT);

        HandshakeOutcome outcome = decide(self().withChangedBlocks(50).withHeldForAnotherPrimary(true),
            peer().withPrimary(true), policies);

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
        assertThat(outcome.explanation()).contains("we hold writes of another Primary, not discarded for this one");
        HandshakeOutcome primaryDiscarded = decide(self().withHeldForAnotherPrimary(true).withChangedBlocks(3),
            peer().withPrimary(true),
            policies(AfterSb1pri.CALL_PRI_LOST_AFTER_SB, AfterSb0pri.DISCARD_ZERO_CHANGES));
        assertThat(primaryDiscarded.action()).as("a resolution that discards the Primary stands").isEqualTo(PROCEED);
    }

    @Test
    void afterSb1pri_discardSecondary_doesNotApply_whenTwoArePrimary() {
        HandshakeOutcome outcome = decide(self().withPrimary(true), peer().withPrimary(true),
            policies(AfterSb1pri.DISCARD_SECONDARY, AfterSb0pri.DISCONNECT));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.explanation()).contains("after-sb-2pri disconnect");
    }

    @Test
    void afterSb1pri_callPriLostAfterSb_resolves_andThePrimaryThatLostMustDemote() {
        HandshakeSide primary = self().withPrimary(true);
        HandshakeSide secondary = peer().withChangedBlocks(3);
        SplitBrainPolicies policies = policies(AfterSb1pri.CALL_PRI_LOST_AFTER_SB, AfterSb0pri.DISCARD_ZERO_CHANGES);

        HandshakeOutcome onPrimary = decide(primary, secondary, policies);
        HandshakeOutcome onSecondary = HandshakeDecider.decide(secondary, primary, policies);

        assertProceeds(onPrimary, TARGET_BY_BITMAP);
        assertThat(onPrimary.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, DEMOTE_ELSE_PRI_LOST_AFTER_SB);
        assertThat(onPrimary.explanation()).contains("we must demote, else call pri-lost-after-sb");
        assertThat(onSecondary.handlers()).containsExactly(INITIAL_SPLIT_BRAIN);
    }

    @Test
    void afterSb1pri_callPriLostAfterSb_fallsThroughToDisconnect_whenZeroPriIsUndecided() {
        HandshakeOutcome outcome = decide(self().withPrimary(true).withChangedBlocks(1), peer().withChangedBlocks(3),
            policies(AfterSb1pri.CALL_PRI_LOST_AFTER_SB, AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
    }

    // --- after-sb-2pri

    @Test
    void afterSb2pri_disconnect_fallsThroughToDisconnect() {
        HandshakeOutcome outcome = decide(self().withPrimary(true), peer().withPrimary(true).withChangedBlocks(3),
            policies(AfterSb2pri.DISCONNECT, AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
    }

    @Test
    void afterSb2pri_violentlyAs0p_resolves_whenRrConflictAllowsIt() {
        SplitBrainPolicies policies = new SplitBrainPolicies(AfterSb0pri.DISCARD_LEAST_CHANGES,
            AfterSb1pri.DISCONNECT, AfterSb2pri.VIOLENTLY_AS0P, RrConflict.VIOLENTLY, false);

        HandshakeOutcome outcome = decide(self().withPrimary(true).withChangedBlocks(2),
            peer().withPrimary(true).withChangedBlocks(3), policies);

        assertProceeds(outcome, TARGET_BY_BITMAP);
    }

    @Test
    void afterSb2pri_violentlyAs0p_fallsThroughToDisconnect_whenZeroPriIsUndecided() {
        HandshakeOutcome outcome = decide(self().withPrimary(true).withChangedBlocks(2),
            peer().withPrimary(true).withChangedBlocks(3),
            policies(AfterSb2pri.VIOLENTLY_AS0P, AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
    }

    @Test
    void afterSb2pri_callPriLostAfterSb_resolves_andTheLosingPrimaryMustDemote() {
        HandshakeOutcome outcome = decide(self().withPrimary(true), peer().withPrimary(true).withChangedBlocks(3),
            policies(AfterSb2pri.CALL_PRI_LOST_AFTER_SB, AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertProceeds(outcome, TARGET_BY_BITMAP);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, DEMOTE_ELSE_PRI_LOST_AFTER_SB);
    }

    @Test
    void afterSb2pri_callPriLostAfterSb_fallsThroughToDisconnect_whenZeroPriIsUndecided() {
        HandshakeOutcome outcome = decide(self().withPrimary(true).withChangedBlocks(1),
            peer().withPrimary(true).withChangedBlocks(3),
            policies(AfterSb2pri.CALL_PRI_LOST_AFTER_SB, AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
    }

    // --- always-asbp, discard-my-data, handlers

    @Test
    void alwaysAsbp_off_leavesASplitBrainWithOnlyHistoryInCommonUnresolved() {
        HandshakeOutcome outcome = decide(historySelf(), historyPeer().withChangedBlocks(3),
            policies(AfterSb0pri.DISCARD_ZERO_CHANGES));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
        assertThat(outcome.explanation()).contains("not auto-recoverable (history-both): always-asbp is off");
    }

    @Test
    void alwaysAsbp_on_resolvesASplitBrainWithOnlyHistoryInCommon_withAFullSync() {
        SplitBrainPolicies policies = new SplitBrainPolicies(AfterSb0pri.DISCARD_ZERO_CHANGES,
            AfterSb1pri.DISCONNECT, AfterSb2pri.DISCONNECT, RrConflict.DISCONNECT, true);

        HandshakeOutcome outcome = decide(historySelf(), historyPeer().withChangedBlocks(3), policies);

        assertProceeds(outcome, new BecomeSyncTarget(BecomeSyncTarget.Kind.SET_BITMAP, SyncRule.HISTORY_BOTH));
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN);
    }

    @Test
    void discardMyData_makesTheAskingSideTarget_withABitmapResyncOfAnAutoRecoverableSplitBrain() {
        HandshakeOutcome outcome = decide(self().withDiscardMyData(true).withChangedBlocks(5),
            peer().withChangedBlocks(5), SplitBrainPolicies.DEFAULT);

        assertProceeds(outcome, TARGET_BY_BITMAP);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN);
        assertThat(outcome.explanation()).contains("we asked for --discard-my-data");
    }

    @Test
    void discardMyData_resolvesASplitBrainWithOnlyHistoryInCommon_withAFullSync() {
        HandshakeOutcome outcome = decide(historySelf(), historyPeer().withDiscardMyData(true),
            SplitBrainPolicies.DEFAULT);

        assertProceeds(outcome, new BecomeSyncSource(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.HISTORY_BOTH));
    }

    @Test
    void discardMyData_askedByBoth_disconnectsAndRunsSplitBrain() {
        HandshakeOutcome outcome = decide(self().withDiscardMyData(true), peer().withDiscardMyData(true),
            SplitBrainPolicies.DEFAULT);

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
        assertThat(outcome.explanation()).contains("both asked for --discard-my-data");
    }

    @Test
    void discardMyData_isIgnored_whenThereIsNoSplitBrain() {
        HandshakeOutcome outcome = decide(rrTarget().withPrimary(false).withDiscardMyData(true), rrSource(),
            SplitBrainPolicies.DEFAULT);

        assertProceeds(outcome, new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BITMAP_PEER));
        assertThat(outcome.handlers()).isEmpty();
    }

    @Test
    void discardMyData_revertsAPlainResyncToOlderData_whenTheAskingSideWouldBeSource() {
        HandshakeOutcome outcome = decide(rrSource().withDiscardMyData(true), rrTarget().withPrimary(false),
            SplitBrainPolicies.DEFAULT);

        assertThat(outcome.action()).isEqualTo(PROCEED);
        assertThat(outcome.decision().isSyncTarget()).isTrue();
        assertThat(outcome.explanation()).contains("reverting to older data: we asked for --discard-my-data");
    }

    /**
     * A Primary that asked for --discard-my-data meets rr-conflict like any Primary that would become target: before,
     * the reversal came after rr-conflict, the Primary became SyncTarget with its disk Inconsistent and went on
     * acknowledging writes that the next handshake discarded without a split brain (simulation seed
     * -6021575856519581700, two nodes).
     */
    @Test
    void discardMyData_onAPrimary_meetsRrConflict() {
        HandshakeOutcome outcome = decide(rrSource().withPrimary(true).withDiscardMyData(true),
            rrTarget().withPrimary(false), rr(RrConflict.DISCONNECT));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.explanation()).contains("reverting to older data")
            .contains("we would become sync target while Primary: rr-conflict disconnect");
    }

    @Test
    void initialSplitBrain_isReportedForEverySplitBrain_andSplitBrainOnlyWhenUnresolved() {
        HandshakeOutcome resolved = decide(self(), peer(), policies(AfterSb0pri.DISCARD_LOCAL));
        HandshakeOutcome unresolved = decide(self(), peer(), SplitBrainPolicies.DEFAULT);

        assertThat(resolved.handlers()).containsExactly(INITIAL_SPLIT_BRAIN);
        assertThat(unresolved.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
        assertThat(unresolved.explanation()).isEqualTo("sync decision: split-brain-auto-recover by rule bitmap-both; "
            + "split brain: after-sb-0pri disconnect: unresolved, dropping the connection");
    }

    @Test
    void splitBrain_isOverriddenByDiskStates_whenExactlyOneSideIsInconsistent() {
        HandshakeOutcome outcome = decide(self().withDisk(DiskState.INCONSISTENT), peer(), SplitBrainPolicies.DEFAULT);

        assertProceeds(outcome, TARGET_BY_BITMAP);
        assertThat(outcome.handlers()).isEmpty();
        assertThat(outcome.explanation()).contains("our disk is Inconsistent, the peer's is not");
    }

    /**
     * An Inconsistent side that follows a Primary's generation may hold some of its writes; made target by its disk
     * state, it would give the other side of the split brain a vote (simulation seed 4366524313826046807).
     */
    @Test
    void splitBrain_isLeftToThePolicies_whenTheInconsistentSideFollowsAPrimary() {
        HandshakeOutcome outcome = decide(self().withDisk(DiskState.INCONSISTENT).withFollowsPrimary(true), peer(),
            SplitBrainPolicies.DEFAULT);

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).containsExactly(INITIAL_SPLIT_BRAIN, SPLIT_BRAIN);
        assertThat(outcome.explanation()).doesNotContain("our disk is Inconsistent");
    }

    @Test
    void splitBrainResolvedToAFollowingInconsistentSource_connectsAgainLater() {
        HandshakeOutcome outcome = decide(self().withDisk(DiskState.INCONSISTENT).withFollowsPrimary(true), peer(),
            policies(AfterSb0pri.DISCARD_REMOTE));

        assertThat(outcome.action()).isEqualTo(RETRY_CONNECT);
        assertThat(outcome.explanation()).contains("we would become sync source, but our disk is Inconsistent")
            .contains("we hold writes of a newer Primary's generation")
            .contains("'connect --discard-my-data' on this node");
    }

    @Test
    void inconsistentSideAheadByItsIds_followingAPrimary_isNotMadeTarget_butConnectsAgainLater() {
        HandshakeOutcome outcome = decide(rrSource().withDisk(DiskState.INCONSISTENT).withFollowsPrimary(true),
            rrTarget().withPrimary(false), SplitBrainPolicies.DEFAULT);

        assertThat(outcome.action()).isEqualTo(RETRY_CONNECT);
        assertThat(outcome.decision().isSyncSource()).isTrue();
        assertThat(outcome.explanation()).contains("we would become sync source, but our disk is Inconsistent");
    }

    /** Ahead only because its resync started (or it was invalidated): its disk state makes it target, as in 8.4. */
    @Test
    void inconsistentSideAheadByItsIds_notFollowingAPrimary_isMadeTarget() {
        HandshakeOutcome outcome = decide(rrSource().withDisk(DiskState.INCONSISTENT), rrTarget().withPrimary(false),
            SplitBrainPolicies.DEFAULT);

        assertThat(outcome.action()).isEqualTo(PROCEED);
        assertThat(outcome.decision().isSyncTarget()).isTrue();
    }

    @Test
    void unrelatedData_disconnects() {
        HandshakeSide stranger = side(0x7000L, 0x8000L, 0x9000L, false);

        HandshakeOutcome outcome = decide(self(), stranger, SplitBrainPolicies.DEFAULT);

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.decision()).isInstanceOf(SyncDecision.UnrelatedData.class);
        assertThat(outcome.handlers()).isEmpty();
    }

    // --- step 5: source disk, rr-conflict (this node is Primary and the peer holds changes for it)


    /**
     * Two Inconsistent sides (each mid-resync from a third node, or cut in one): neither can be source now, and not
     * for good — they connect again, and decide again once one is resynced. Before, the pair went StandAlone and
     * needed a manual {@code connect} (NemesisIT, three real daemons, seed -2871941046277847608).
     */
    @Test
    void sourceWithInconsistentDisk_towardAnInconsistentTarget_connectsAgainLater() {
        HandshakeOutcome outcome = decide(rrSource().withDisk(DiskState.INCONSISTENT),
            rrTarget().withPrimary(false).withDisk(DiskState.INCONSISTENT), SplitBrainPolicies.DEFAULT);

        assertThat(outcome.action()).as("DRBD 8.4 disconnects for good here").isEqualTo(RETRY_CONNECT);
        assertThat(outcome.decision().isSyncSource()).isTrue();
        assertThat(outcome.explanation()).contains("we would become sync source, but our disk is Inconsistent",
            "both disks are Inconsistent");
    }

    @Test
    void sourceWithOutdatedDisk_proceeds_asIn84WhichRefusesOnlyInconsistentOrWorse() {
        HandshakeOutcome outcome = decide(rrSource().withDisk(DiskState.OUTDATED), rrTarget().withPrimary(false),
            SplitBrainPolicies.DEFAULT);

        assertThat(outcome.syncSource()).isTrue();
    }

    @Test
    void rrConflict_disconnect_refuses_whenThePrimaryWouldBecomeTarget() {
        HandshakeOutcome outcome = decide(rrTarget(), rrSource(), rr(RrConflict.DISCONNECT));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.handlers()).isEmpty();
        assertThat(outcome.explanation()).contains("we would become sync target while Primary: rr-conflict disconnect");
    }

    @Test
    void rrConflict_disconnect_doesNotApply_whenTheTargetIsSecondary() {
        assertThat(decide(rrTarget().withPrimary(false), rrSource(), rr(RrConflict.DISCONNECT)).syncTarget()).isTrue();
    }

    @Test
    void rrConflict_retryConnect_reconnects() {
        assertThat(decide(rrTarget(), rrSource(), rr(RrConflict.RETRY_CONNECT)).action()).isEqualTo(RETRY_CONNECT);
    }

    @Test
    void rrConflict_violently_proceedsOntoThePrimary() {
        HandshakeOutcome outcome = decide(rrTarget(), rrSource(), rr(RrConflict.VIOLENTLY));

        assertProceeds(outcome, new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BITMAP_PEER));
        assertThat(outcome.explanation()).contains("violating the stable-data assumption");
    }

    @Test
    void rrConflict_callPriLost_runsPriLostOnThePrimaryAndDisconnects() {
        HandshakeOutcome onPrimary = decide(rrTarget(), rrSource(), rr(RrConflict.CALL_PRI_LOST));
        HandshakeOutcome onPeer = HandshakeDecider.decide(rrSource(), rrTarget(), rr(RrConflict.CALL_PRI_LOST));

        assertThat(onPrimary.action()).isEqualTo(DISCONNECT);
        assertThat(onPrimary.handlers()).containsExactly(PRI_LOST);
        assertThat(onPeer.handlers()).isEmpty();
    }

    @Test
    void rrConflict_autoDiscard_fallsThroughToDisconnect_forADecisionOfAnotherRule() {
        HandshakeOutcome outcome = decide(rrTarget(), rrSource(), rr(RrConflict.AUTO_DISCARD));

        assertThat(outcome.action()).isEqualTo(DISCONNECT);
        assertThat(outcome.explanation()).contains("auto-discard applies only to a bitmap resync by the "
            + "crashed-primary rule");
    }

    /**
     * {@link SyncDecider}'s crashed-primary rule already makes the current Primary source (8.4 rule 41), so no id
     * pair leads there; the step is checked on its own, with the decision DRBD 9's crashed-primary rule gives.
     */
    @Test
    void rrConflict_autoDiscard_resolves_byReversingACrashedPrimaryDecision() {
        SyncDecision crashedIsSource = new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.CRASHED_PRIMARY);

        HandshakeOutcome outcome = HandshakeDecider.refuseOrProceed(crashedIsSource, rrTarget(), rrSource(),
            RrConflict.AUTO_DISCARD, false, new HandshakeDecider.Steps("test"));
        HandshakeOutcome onPeer = HandshakeDecider.refuseOrProceed(crashedIsSource.mirror(), rrSource(), rrTarget(),
            RrConflict.AUTO_DISCARD, false, new HandshakeDecider.Steps("test"));

        assertProceeds(outcome, new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.CRASHED_PRIMARY));
        assertThat(onPeer.decision()).isEqualTo(outcome.decision().mirror());
        assertThat(outcome.explanation()).contains("reversing the resync");
    }

    @Test
    void rrConflict_doesNotApply_whenNothingWouldChangeOnThePrimary() {
        HandshakeOutcome outcome = decide(rrTarget(), rrSource().withChangedBlocks(0), rr(RrConflict.DISCONNECT));

        assertThat(outcome.syncTarget()).isTrue();
    }

    // --- same generation, blocks marked (a Secondary lost with writes in flight, then an idle Primary)

    private static final SyncDecision SOURCE_BY_MARKS =
        new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.MARKED_BLOCKS);
    private static final SyncDecision TARGET_BY_MARKS =
        new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.MARKED_BLOCKS);

    @Test
    void sameGeneration_withBlocksMarkedOnThePrimary_resyncsThemFromThePrimary() {
        HandshakeOutcome outcome = decide(sameGeneration(true).withPrimary(true).withChangedBlocks(3),
            sameGeneration(false), rr(RrConflict.DISCONNECT));

        assertProceeds(outcome, SOURCE_BY_MARKS);
        assertThat(outcome.explanation()).startsWith("sync decision: no-sync by rule both-off")
            .contains("same generation, but 3 block(s) marked here and 0 at the peer: source-use-bitmap");
    }

    @Test
    void sameGeneration_withBlocksMarkedOnTheSecondary_makesThePrimarySource() {
        HandshakeOutcome outcome = decide(sameGeneration(true).withChangedBlocks(2),
            sameGeneration(false).withPrimary(true), rr(RrConflict.DISCONNECT));

        assertProceeds(outcome, TARGET_BY_MARKS);
    }

    @Test
    void sameGeneration_twoSecondaries_theOneThatMarkedBlocksIsSource() {
        assertProceeds(decide(sameGeneration(true), sameGeneration(false).withChangedBlocks(4),
            rr(RrConflict.DISCONNECT)), TARGET_BY_MARKS);
        assertProceeds(decide(sameGeneration(true).withChangedBlocks(1), sameGeneration(false).withChangedBlocks(1),
            rr(RrConflict.DISCONNECT)), TARGET_BY_MARKS);
        assertProceeds(decide(sameGeneration(true).withChangedBlocks(1).withDisk(DiskState.OUTDATED),
            sameGeneration(false).withChangedBlocks(0), rr(RrConflict.DISCONNECT)), TARGET_BY_MARKS);
    }

    /**
     * Two Secondaries of one generation, one back from a machine crash (its activity-log extents marked, its unflushed
     * writes possibly gone): the one that kept its page cache is source, however many blocks each marked. Before,
     * the crashed one was source for having marked more, and copied the stale blocks its crash left over the
     * acknowledged writes of the other (simulation seed -2808825552627002381, two nodes).
     */
    @Test
    void sameGeneration_twoSecondaries_theOneThatDidNotRestartUncleanIsSource() {
        assertProceeds(decide(sameGeneration(true).withChangedBlocks(1),
            sameGeneration(false).withChangedBlocks(128).withRestartedUnclean(true), rr(RrConflict.DISCONNECT)),
            SOURCE_BY_MARKS);
        assertProceeds(decide(sameGeneration(true).withChangedBlocks(128).withRestartedUnclean(true),
            sameGeneration(false).withChangedBlocks(1), rr(RrConflict.DISCONNECT)), TARGET_BY_MARKS);
    }

    /**
     * Two Secondaries of one generation, one its Primary until demoted (it completed the writes, ACKED_AS_PRIMARY):
     * it is source, however many blocks the other's activity log marked after a crash of its process (simulation seed
     * -1106884806000804991, three nodes).
     */
    @Test
    void sameGeneration_theDemotedPrimaryIsSource_overTheOthersActivityLog() {
        HandshakeSide demoted = sameGeneration(true).withChangedBlocks(11).withAckedAsPrimary(true);
        HandshakeSide restarted = sameGeneration(false).withChangedBlocks(128);

        assertProceeds(decide(demoted, restarted, rr(RrConflict.DISCONNECT)), SOURCE_BY_MARKS);
    }

    /**
     * Two replicas of the same Primary hold its data, whatever their bitmap ids for each other say (here: a missed
     * resync finish between them). Before, that made one the other's sync target, under the Primary's writes.
     */
    @Test
    void twoReplicasOfThePrimary_ofOneGeneration_doNotResync() {
        HandshakeSide self = sameGeneration(true).withServesPrimary(true).withChangedBlocks(3);
        HandshakeSide peer = sameGeneration(false).withServesPrimary(true);

        assertProceeds(decide(self, peer, rr(RrConflict.DISCONNECT)), new SyncDecision.NoSync(SyncRule.SAME_PRIMARY));
    }

    /** A replica of a Primary is never resynced from another node: that would change it under the Primary's writes. */
    @Test
    void aReplicaOfAnotherPrimary_isNotMadeSyncTarget_theConnectionIsTriedAgainLater() {
        HandshakeOutcome outcome = decide(rrSource().withServesPrimary(false), rrTarget().withPrimary(false)
            .withServesPrimary(true), rr(RrConflict.DISCONNECT));

        assertThat(outcome.action()).isEqualTo(RETRY_CONNECT);
        assertThat(outcome.explanation()).contains("the peer would become sync target while replicating from "
            + "another Primary");
    }

    /**
     * An Outdated replica too: it fell behind its Primary, which resyncs it, and it holds that Primary's later writes.
     * Before, an older third node made it sync target (full sync by history) and overwrote them (simulation seed
     * -6533624638889529580, three nodes).
     */
    @Test
    void anOutdatedReplicaOfAnotherPrimary_isNotMadeSyncTarget_either() {
        HandshakeOutcome outcome = decide(rrSource().withServesPrimary(false), rrTarget().withPrimary(false)
            .withServesPrimary(true).withDisk(DiskState.OUTDATED), rr(RrConflict.DISCONNECT));

        assertThat(outcome.action()).isEqualTo(RETRY_CONNECT);
    }

    /**
     * Marked blocks between one generation: the replica of a Primary is source, its data is in use — when the other
     * side got no further with that Primary.
     */
    @Test
    void sameGeneration_marksResyncFromTheReplicaOfThePrimary() {
        LastWrite last = new LastWrite(2, 100);
        assertProceeds(decide(sameGeneration(true).withChangedBlocks(9).withLastWrite(last),
            sameGeneration(false).withServesPrimary(true).withLastWrite(last), rr(RrConflict.DISCONNECT)),
            TARGET_BY_MARKS);
    }

    /**
     * A side that restarted (it cannot say how far it got with its Primary) and the replica of a Primary: the
     * replica may have missed writes the restarted side applied before it went down (a cut the replica has not
     * noticed yet, the Primary still waiting for its ack), and the Primary, holding the restarted side's acks, would
     * never send them again. So neither resyncs from the other: the restarted side resyncs from the Primary first.
     * Before, the replica was source and its older blocks overwrote an acknowledged write (simulation seed
     * -692628639114418154, three nodes).
     */
    @Test
    void sameGeneration_aRestartedSideAndAReplicaOfThePrimary_tryAgainAfterThePrimaryResyncedIt() {
        LastWrite replicaGotTo = new LastWrite(0, 19);
        HandshakeSide restarted = sameGeneration(true).withChangedBlocks(128);
        HandshakeSide replica = sameGeneration(false).withChangedBlocks(128).withServesPrimary(true)
            .withLastWrite(replicaGotTo);

        HandshakeOutcome outcome = decide(restarted, replica, rr(RrConflict.DISCONNECT));
        HandshakeOutcome mirrored = decide(sameGeneration(true).withChangedBlocks(128).withServesPrimary(true)
            .withLastWrite(replicaGotTo), sameGeneration(false).withChangedBlocks(128), rr(RrConflict.DISCONNECT));

        assertThat(outcome.action()).isEqualTo(RETRY_CONNECT);
        assertThat(mirrored.action()).isEqualTo(RETRY_CONNECT);
        assertThat(outcome.explanation()).contains("this node cannot tell how far it got with the Primary");
    }

    /**
     * A side that is behind (its current is the other's bitmap id for it) resyncs from the other even with blocks of
     * its own marked — its activity log after a crash, or a lost Primary's last writes: DRBD's bitmap-peer rule. (A
     * split brain here made every failback of a crashed Primary StandAlone under the default policies.)
     */
    @Test
    void behindWithBlocksOfItsOwnMarked_isStillATarget() {
        HandshakeOutcome outcome = decide(rrTarget().withPrimary(false).withChangedBlocks(4), rrSource(),
            SplitBrainPolicies.DEFAULT);

        assertProceeds(outcome, new BecomeSyncTarget(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BITMAP_PEER));
        assertThat(outcome.handlers()).isEmpty();
    }

    /**
     * Same current generation, and the ids say this node (its bitmap id for the peer is the peer's newest history id)
     * missed the end of a resync it sourced: it would be source. But the peer applied later writes of the Primary
     * both replicated from, so the resync goes the other way. Before, a node back from a machine crash, which had
     * marked the Primary's writes for the peer before the peer caught up, overwrote the peer's later acknowledged
     * writes (simulation seed -6043102312892664919, three nodes).
     */
    @Test
    void missedFinish_theSideWithTheLaterWritesOfThePrimaryIsSource() {
        long old = ANCESTOR;
        HandshakeSide marked = side(SELF_CURRENT, old, 0, true);
        HandshakeSide caughtUp = side(SELF_CURRENT, 0, old, false);
        SyncDecision byIds = HandshakeDecider.decide(marked, caughtUp, rr(RrConflict.DISCONNECT)).decision();
        assertThat(byIds.isSyncSource()).as("the ids alone make the marking side source").isTrue();

        LastWrite earlier = new LastWrite(1, 10);
        LastWrite later = new LastWrite(1, 13);
        HandshakeOutcome byLastWrite = decide(marked.withLastWrite(earlier), caughtUp.withLastWrite(later),
            rr(RrConflict.DISCONNECT));
        assertThat(byLastWrite.decision()).isEqualTo(byIds.mirror());
        assertThat(byLastWrite.explanation()).contains("the peer applied later writes of the Primary");

        HandshakeOutcome afterCrash = decide(marked.withRestartedUnclean(true), caughtUp.withLastWrite(later),
            rr(RrConflict.DISCONNECT));
        assertThat(afterCrash.decision()).as("back from a machine crash, it cannot say").isEqualTo(byIds.mirror());

        HandshakeSide crashedPrimary = new HandshakeSide(caughtUp.sync().withCrashedPrimary(true), caughtUp.disk(), 0,
            false, false, false, LastWrite.NONE);
        assertThat(decide(marked.withRestartedUnclean(true), crashedPrimary, rr(RrConflict.DISCONNECT)).decision())
            .as("the peer, its Primary killed with its page cache intact, holds every write it completed (simulation "
                + "seed 5402130752003863502)").isEqualTo(byIds.mirror());

        assertThat(decide(marked.withLastWrite(later), caughtUp.withLastWrite(earlier), rr(RrConflict.DISCONNECT))
            .decision()).as("the marking side got further: the ids stand").isEqualTo(byIds);

        assertThat(decide(marked.withRestartedUnclean(true), caughtUp.withLastWrite(later)
            .withDisk(DiskState.OUTDATED), rr(RrConflict.DISCONNECT)).decision())
            .as("an Outdated peer is behind whatever it applied last (simulation seed 8880017404524932397)")
            .isEqualTo(byIds);
    }

    /**
     * A Primary back from a machine crash knows how far its data got: the last of its own writes a flush covered
     * (recorded after each flush, {@code AttachedDisk.flushMark}). A replica that applied writes of it beyond that
     * point may hold some the crash took (simulation seed 4608448956300276791): it is source. One that stopped short
     * of it — away since, or resynced from a third node that was — lacks writes the crashed Primary holds
     * (simulation seeds 6388817971900520072, 8880017404524932397): the ids stand.
     */
    @Test
    void missedFinish_aPrimaryBackFromAMachineCrash_isComparedByTheWritesItFlushed() {
        HandshakeSide crashed = side(SELF_CURRENT, ANCESTOR, 0, true);
        crashed = new HandshakeSide(crashed.sync().withCrashedPrimary(true), crashed.disk(), 0, false, true, false,
            new LastWrite(1, 14));
        HandshakeSide replica = side(SELF_CURRENT, 0, ANCESTOR, false);
        SyncDecision byIds = HandshakeDecider.decide(crashed, replica, rr(RrConflict.DISCONNECT)).decision();
        assertThat(byIds.isSyncSource()).isTrue();

        assertThat(decide(crashed, replica.withLastWrite(new LastWrite(1, 7)), rr(RrConflict.DISCONNECT)).decision())
            .as("the replica stopped short of the flushed writes").isEqualTo(byIds);
        assertThat(decide(crashed, replica.withLastWrite(new LastWrite(1, 23)), rr(RrConflict.DISCONNECT))
            .decision()).as("the replica got past them").isEqualTo(byIds.mirror());
        assertThat(decide(crashed.withLastWrite(LastWrite.NONE), replica.withLastWrite(new LastWrite(1, 7)),
            rr(RrConflict.DISCONNECT)).decision()).as("nothing flushed that it knows of").isEqualTo(byIds.mirror());
    }

    /**
     * The ids guess a missed resync finish with an Outdated would-be source and an UpToDate target: the Outdated side
     * knows it is behind some node, the guess may be wrong, and as source it would overwrite acknowledged writes
     * (simulation seed -3070481443216132774, five nodes). The resync goes the other way; refused instead, the
     * Outdated node stayed Outdated beside its Primary for good (seed 1491476142679062833, four nodes).
     */
    @Test
    void missedFinish_anOutdatedSourceTowardAnUpToDateTarget_isTurnedAround() {
        HandshakeSide marked = side(SELF_CURRENT, ANCESTOR, 0, true);
        HandshakeSide caughtUp = side(SELF_CURRENT, 0, ANCESTOR, false);
        HandshakeOutcome byIds = decide(marked, caughtUp, rr(RrConflict.DISCONNECT));
        assertThat(byIds.decision().rule().missedFinish()).as(byIds.explanation()).isTrue();
        assertThat(byIds.decision().isSyncSource()).isTrue();

        HandshakeOutcome outdated = decide(marked.withDisk(DiskState.OUTDATED), caughtUp, rr(RrConflict.DISCONNECT));

        assertProceeds(outdated, byIds.decision().mirror());
        assertThat(outdated.explanation()).contains("disk is Outdated, the other UpToDate");
        assertThat(decide(marked.withDisk(DiskState.OUTDATED), caughtUp.withDisk(DiskState.OUTDATED),
            rr(RrConflict.DISCONNECT)).decision()).as("both behind: the ids decide").isEqualTo(byIds.decision());
    }

    @Test
    void sameGeneration_withNothingMarked_orTwoFreshDisks_staysNoSync() {
        HandshakeOutcome nothing = decide(sameGeneration(true), sameGeneration(false), rr(RrConflict.DISCONNECT));
        assertProceeds(nothing, new SyncDecision.NoSync(SyncRule.BOTH_OFF));

        HandshakeSide fresh = HandshakeSide.of(SyncInput.of(GenerationIds.justCreated(2), 0)
            .withResolveConflicts(true)).withChangedBlocks(7);
        HandshakeSide freshPeer = HandshakeSide.of(SyncInput.of(GenerationIds.justCreated(2), 0)
            .withResolveConflicts(false));
        assertProceeds(decide(fresh, freshPeer, rr(RrConflict.DISCONNECT)),
            new SyncDecision.NoSync(SyncRule.JUST_CREATED_BOTH));
    }

    @Test
    void sameGeneration_bothInconsistent_staysNoSyncInsteadOfRefusingTheConnection() {
        HandshakeOutcome outcome = decide(sameGeneration(true).withDisk(DiskState.INCONSISTENT),
            sameGeneration(false).withDisk(DiskState.INCONSISTENT).withChangedBlocks(1440), rr(RrConflict.DISCONNECT));

        assertProceeds(outcome, new SyncDecision.NoSync(SyncRule.BOTH_OFF));
    }

    /** A side of the generation SELF_CURRENT with no bitmap id for the other: both-off when compared. */
    /** A Secondary of generation SELF_CURRENT that crashed as Primary, with {@code awaySince} as its bitmap id. */
    private static HandshakeSide crashedPrimary(long awaySince) {
        GenerationIds ids = GenerationIds.of(SELF_CURRENT, new long[] {awaySince, 0}, ANCESTOR);
        return HandshakeSide.of(SyncInput.of(ids, 0).withCrashedPrimary(true).withResolveConflicts(true));
    }

    private static HandshakeSide sameGeneration(boolean resolveConflicts) {
        return side(SELF_CURRENT, 0, ANCESTOR, resolveConflicts);
    }

    // --- fixtures

    /**
     * Decides on this node and on the peer (sides swapped, policies mirrored) and checks that they agree: the same
     * action, and the mirror decision.
     */
    private static HandshakeOutcome decide(HandshakeSide self, HandshakeSide peer, SplitBrainPolicies policies) {
        HandshakeOutcome mine = HandshakeDecider.decide(self, peer, policies);
        HandshakeOutcome theirs = HandshakeDecider.decide(peer, self, policies.mirror());
        assertThat(theirs.action()).as("peer's action; mine: %s", mine.explanation()).isEqualTo(mine.action());
        assertThat(theirs.decision()).as("peer's decision; mine: %s", mine.explanation())
            .isEqualTo(mine.decision().mirror());
        return mine;
    }

    private static void assertProceeds(HandshakeOutcome outcome, SyncDecision expected) {
        assertThat(outcome.action()).as(outcome.explanation()).isEqualTo(PROCEED);
        assertThat(outcome.decision()).as(outcome.explanation()).isEqualTo(expected);
    }

    /** This node of an auto-recoverable split brain: both bitmaps for each other start at SPLIT (bitmap-both). */
    private static HandshakeSide self() {
        return side(SELF_CURRENT, SPLIT, ANCESTOR, true);
    }

    /** The peer of {@link #self()}. */
    private static HandshakeSide peer() {
        return side(PEER_CURRENT, SPLIT, ANCESTOR, false);
    }

    /** This node of a split brain with only a history ancestor in common (history-both). */
    private static HandshakeSide historySelf() {
        return side(SELF_CURRENT, OLD_SELF, ANCESTOR, true);
    }

    /** The peer of {@link #historySelf()}. */
    private static HandshakeSide historyPeer() {
        return side(PEER_CURRENT, OLD_PEER, ANCESTOR, false);
    }

    /** A Primary whose current is the peer's bitmap id for it: bitmap-peer makes it target. */
    private static HandshakeSide rrTarget() {
        return side(SELF_CURRENT, 0, ANCESTOR, true).withPrimary(true);
    }

    /** The peer of {@link #rrTarget()}, with 5 blocks changed since. */
    private static HandshakeSide rrSource() {
        return side(PEER_CURRENT, SELF_CURRENT, ANCESTOR, false).withChangedBlocks(5);
    }

    private static HandshakeSide side(long current, long bitmapForPeer, long history, boolean resolveConflicts) {
        GenerationIds ids = GenerationIds.of(current, new long[] {bitmapForPeer, 0}, history);
        return HandshakeSide.of(SyncInput.of(ids, 0).withResolveConflicts(resolveConflicts));
    }

    /** {@code side} with the primary bit in its bitmap id for the peer: it was Primary when they split. */
    private static HandshakeSide wasPrimaryAtSplit(HandshakeSide side) {
        GenerationIds ids = side.sync().ids();
        GenerationIds marked = GenerationIds.of(ids.current(), new long[] {ids.bitmap(0) | GenerationIds.UUID_PRIMARY,
            ids.bitmap(1)}, ids.history());
        SyncInput sync = new SyncInput(marked, 0, side.primary(), false, false, false, side.sync().resolveConflicts());
        return new HandshakeSide(sync, side.disk(), side.changedBlocks(), side.discardMyData());
    }

    private static SplitBrainPolicies policies(AfterSb0pri afterSb0pri) {
        return new SplitBrainPolicies(afterSb0pri, AfterSb1pri.DISCONNECT, AfterSb2pri.DISCONNECT,
            RrConflict.DISCONNECT, false);
    }

    private static SplitBrainPolicies policies(AfterSb1pri afterSb1pri, AfterSb0pri afterSb0pri) {
        return new SplitBrainPolicies(afterSb0pri, afterSb1pri, AfterSb2pri.DISCONNECT, RrConflict.DISCONNECT, false);
    }

    private static SplitBrainPolicies policies(AfterSb2pri afterSb2pri, AfterSb0pri afterSb0pri) {
        return new SplitBrainPolicies(afterSb0pri, AfterSb1pri.DISCONNECT, afterSb2pri, RrConflict.DISCONNECT, false);
    }

    private static SplitBrainPolicies rr(RrConflict rrConflict) {
        return new SplitBrainPolicies(AfterSb0pri.DISCONNECT, AfterSb1pri.DISCONNECT, AfterSb2pri.DISCONNECT,
            rrConflict, false);
    }
}

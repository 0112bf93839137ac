package io.replicator.core.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.generation.SyncDecision.BecomeSyncSource;
import io.replicator.core.generation.SyncDecision.NoSync;
import io.replicator.core.generation.SyncDecision.SplitBrain;
import io.replicator.core.generation.SyncDecision.UnrelatedData;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes, A and B, each with one peer slot (slot 0 is the other node), driven through the transitions of
 * {@link GenerationIds} and compared with {@link SyncDecider} from both sides, as a connect would.
 */
@Timeout(10)
class GenerationLifecycleTest {
    private final RandomGenerator random = new SplittableRandom(20240601L);

    private GenerationIds a = GenerationIds.justCreated(1);
    private GenerationIds b = GenerationIds.justCreated(1);
    private boolean aPrimary;
    private boolean bPrimary;

    @Test
    void shouldFullSyncFromFirstPrimaryWhenBothWereJustCreated() {
        assertDecision(new NoSync(SyncRule.JUST_CREATED_BOTH));

        promoteA(PeerSlots.none());

        assertDecision(new BecomeSyncSource(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.JUST_CREATED_PEER));
        resyncAToB();
        assertDecision(new NoSync(SyncRule.BOTH_OFF));
    }

    @Test
    void shouldResyncChangedBlocksWhenPrimaryWroteWhileSecondaryWasAway() {
        initialSync();

        a = a.newCurrent(random, true, PeerSlots.of(0));
        a = a.newCurrent(random, true, PeerSlots.of(0));

        assertDecision(new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.BITMAP_SELF));
        resyncAToB();
        assertDecision(new NoSync(SyncRule.BOTH_OFF));
    }

    @Test
    void shouldResumeBitmapResyncWhenItWasInterrupted() {
        initialSync();
        a = a.newCurrent(random, true, PeerSlots.of(0));

        a = a.resyncStartingAsSource(0, random);
        b = b.resyncStartingAsTarget(PeerSlots.none());

        assertDecision(new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.SYNC_SOURCE_MISSED_START));
        resyncAToB();
        assertDecision(new NoSync(SyncRule.BOTH_OFF));
    }

    @Test
    void shouldFinishOnTheSourceWhenItMissedTheResyncFinishedEvent() {
        initialSync();
        a = a.newCurrent(random, true, PeerSlots.of(0));
        a = a.resyncStartingAsSource(0, random);
        b = b.resyncStartingAsTarget(PeerSlots.none());

        b = b.resyncFinishedAsTarget(0, a);

        assertDecision(new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.SYNC_SOURCE_MISSED_FINISH));
        a = a.resyncFinishedAsSource(0);
        assertDecision(new NoSync(SyncRule.BOTH_OFF));
    }

    @Test
    void shouldDetectAutoRecoverableSplitBrainWhenBothWerePromotedWhileDisconnected() {
        initialSync();
        demoteA();

        promoteA(PeerSlots.of(0));
        promoteB(PeerSlots.of(0));

        assertDecision(new SplitBrain(true, SyncRule.BITMAP_BOTH));
        assertThat(input(a, true).wasPrimaryAtSplit()).isFalse();
        assertThat(input(b, false).wasPrimaryAtSplit()).isFalse();
    }

    @Test
    void shouldRememberWhoWasPrimaryAtTheSplitWhenSplitBrain() {
        initialSync();

        a = a.newCurrent(random, true, PeerSlots.of(0));
        promoteB(PeerSlots.of(0));

        assertDecision(new SplitBrain(true, SyncRule.BITMAP_BOTH));
        assertThat(input(a, true).wasPrimaryAtSplit()).isTrue();
        assertThat(input(b, false).wasPrimaryAtSplit()).isFalse();
    }

    @Test
    void shouldNeedFullSyncByHistoryWhenNodeWasAwayThroughTwoUntrackedGenerations() {
        initialSync();

        // B's slot is not tracked (e.g. B was removed from the resource and added back): nothing rotates into it.
        a = a.newCurrent(random, true, PeerSlots.none());
        a = a.newCurrent(random, true, PeerSlots.none());

        assertDecision(new BecomeSyncSource(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.HISTORY_SELF));
        resyncAToB();
        assertDecision(new NoSync(SyncRule.BOTH_OFF));
    }

    @Test
    void shouldNeedFullSyncByHistoryWhenBitmapWasClearedAfterTheNodeLeft() {
        initialSync();

        a = a.clearBitmapSkipInitialSync(random, true);
        a = a.newCurrent(random, true, PeerSlots.of(0));

        assertDecision(new BecomeSyncSource(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.HISTORY_SELF));
    }

    @Test
    void shouldDisconnectWhenSplitBrainHasOnlyAHistoryAncestor() {
        initialSync();
        a = a.newCurrent(random, true, PeerSlots.none());
        demoteA();
        promoteB(PeerSlots.none());

        assertDecision(new SplitBrain(false, SyncRule.HISTORY_BOTH));
    }

    @Test
    void shouldRefuseWhenDataIsUnrelated() {
        promoteA(PeerSlots.none());
        a = a.newCurrent(random, true, PeerSlots.none());
        promoteB(PeerSlots.none());

        assertDecision(new UnrelatedData(SyncRule.UNRELATED_DATA));
    }

    @Test
    void shouldOverwriteFreshNodeWhenItMeetsOldData() {
        initialSync();
        b = GenerationIds.justCreated(1);

        assertDecision(new BecomeSyncSource(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.JUST_CREATED_PEER));
    }

    @Test
    void shouldSkipInitialSyncWhenBitmapClearedAndPeerTookTheSameCurrent() {
        a = a.clearBitmapSkipInitialSync(random, false);
        // The peer adopts the id it is sent, as a target does at the end of a resync.
        b = b.resyncFinishedAsTarget(0, a);

        assertDecision(new NoSync(SyncRule.BOTH_OFF));
        assertThat(b.current()).isEqualTo(a.current());
    }

    private void initialSync() {
        promoteA(PeerSlots.none());
        resyncAToB();
        assertDecision(new NoSync(SyncRule.BOTH_OFF));
    }

    private void promoteA(PeerSlots unreachable) {
        a = a.newCurrent(random, true, unreachable);
        aPrimary = true;
    }

    private void promoteB(PeerSlots unreachable) {
        b = b.newCurrent(random, true, unreachable);
        bPrimary = true;
    }

    private void demoteA() {
        a = a.withPrimaryBit(false);
        aPrimary = false;
    }

    /** A full resync cycle, A source, B target, both sides seeing start and finish. */
    private void resyncAToB() {
        a = a.resyncStartingAsSource(0, random);
        b = b.resyncStartingAsTarget(PeerSlots.none());
        b = b.resyncFinishedAsTarget(0, a);
        a = a.resyncFinishedAsSource(0);
    }

    private SyncInput input(GenerationIds ids, boolean isA) {
        return SyncInput.of(ids, 0).withPrimary(isA ? aPrimary : bPrimary).withResolveConflicts(isA);
    }

    /** Asserts A's decision, and that B reaches the mirror image. */
    private void assertDecision(SyncDecision expectedForA) {
        SyncInput inA = input(a, true);
        SyncInput inB = input(b, false);
        assertThat(SyncDecider.decide(inA, inB)).as("A: %s, B: %s", a, b).isEqualTo(expectedForA);
        assertThat(SyncDecider.decide(inB, inA)).as("B: %s, A: %s", b, a).isEqualTo(expectedForA.mirror());
    }
}

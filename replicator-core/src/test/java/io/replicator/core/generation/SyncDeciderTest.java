package io.replicator.core.generation;

import static io.replicator.core.generation.GenerationIds.UUID_JUST_CREATED;
import static io.replicator.core.generation.GenerationIds.UUID_NEW_BM_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.replicator.core.generation.SyncDecision.BecomeSyncSource;
import io.replicator.core.generation.SyncDecision.BecomeSyncTarget;
import io.replicator.core.generation.SyncDecision.NoSync;
import io.replicator.core.generation.SyncDecision.SplitBrain;
import io.replicator.core.generation.SyncDecision.UnrelatedData;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule of {@link SyncDecider}, the positive case and the nearest negative (one condition off). Ids are
 * two-slot sets: slot 0 is the other side of the connection, slot 1 a third node. "me" holds RESOLVE_CONFLICTS
 * unless a row says otherwise. Every row is also checked from the peer's side, which must see the mirror image.
 */
@Timeout(10)
class SyncDeciderTest {
    private static final long X = 0x1110L;
    private static final long Y = 0x2220L;
    private static final long Z = 0x3330L;
    private static final long W = 0x4440L;
    private static final long X_STARTED = X + UUID_NEW_BM_OFFSET;
    private static final long Y_STARTED = Y + UUID_NEW_BM_OFFSET;
    private static final long JC = UUID_JUST_CREATED;

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void shouldDecideByTheNamedRuleWhenItsConditionsHold(String row, SyncInput me, SyncInput peer,
            SyncDecision expected) {
        assertThat(SyncDecider.decide(me, peer)).as(row).isEqualTo(expected);
        assertThat(SyncDecider.decide(peer, me)).as("mirror of " + row).isEqualTo(expected.mirror());
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // just-created (10, 20, 30)
                row("just-created-both", me(ids(JC)), peer(ids(JC)), noSync(SyncRule.JUST_CREATED_BOTH)),
                row("just-created-both: primary bit masked", me(ids(JC | 1)), peer(ids(JC)),
                        noSync(SyncRule.JUST_CREATED_BOTH)),
                row("just-created-self", me(ids(JC)), peer(ids(X)),
                        target(BecomeSyncTarget.Kind.SET_BITMAP, SyncRule.JUST_CREATED_SELF)),
                row("just-created-self: current 0 reads as just created", me(ids(0)), peer(ids(X)),
                        target(BecomeSyncTarget.Kind.SET_BITMAP, SyncRule.JUST_CREATED_SELF)),
                row("just-created-peer", me(ids(X)), peer(ids(JC)),
                        source(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.JUST_CREATED_PEER)),
                row("not just-created: equal data currents", me(ids(X)), peer(ids(X)), noSync(SyncRule.BOTH_OFF)),

                // missed finish (34-37), equal currents Y
                row("sync-source-missed-finish (34)", me(ids(Y, X_STARTED, 0, X, Z)), peer(ids(Y, 0, 0, X_STARTED, X)),
                        source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.SYNC_SOURCE_MISSED_FINISH)),
                row("sync-source-peer-missed-finish (36): histories do not line up",
                        me(ids(Y, X_STARTED, 0, X, Z)), peer(ids(Y, 0, 0, X_STARTED, W)),
                        source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.SYNC_SOURCE_PEER_MISSED_FINISH)),
                row("sync-target-peer-missed-finish (35)", me(ids(Y, 0, 0, X_STARTED, X)),
                        peer(ids(Y, X_STARTED, 0, X)),
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.SYNC_TARGET_PEER_MISSED_FINISH)),
                row("sync-target-missed-finish (37)", me(ids(Y, 0, 0, Z)), peer(ids(Y, X_STARTED, 0, X)),
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.SYNC_TARGET_MISSED_FINISH)),
                row("not missed-finish: both still track changes", me(ids(Y, X_STARTED)), peer(ids(Y, Z)),
                        noSync(SyncRule.BOTH_OFF)),
                row("not missed-finish: only a third node's slot is set", me(ids(Y, 0, Z)), peer(ids(Y)),
                        noSync(SyncRule.BOTH_OFF)),

                // reconnected
                row("reconnected: both flagged, even after a crash",
                        me(ids(X)).withReconnect(true).withCrashedPrimary(true), peer(ids(X)).withReconnect(true),
                        noSync(SyncRule.RECONNECTED)),
                row("not reconnected: only one side flagged", me(ids(X)).withReconnect(true).withCrashedPrimary(true),
                        peer(ids(X)), source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.BOTH_OFF)),

                // crashed-primary (41)
                row("crashed-primary: the current Primary is source", me(ids(X)).withCrashedPrimary(true),
                        peer(ids(X)).withPrimary(true),
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.CRASHED_PRIMARY)),
                row("crashed-primary: the crashed node is Primary again",
                        me(ids(X)).withCrashedPrimary(true).withPrimary(true), peer(ids(X)),
                        source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.CRASHED_PRIMARY)),
                row("crashed-primary: both Primary now", me(ids(X)).withPrimary(true),
                        peer(ids(X)).withPrimary(true).withCrashedPrimary(true),
                        new SplitBrain(false, SyncRule.CRASHED_PRIMARY)),
                row("not crashed-primary: both Primary but nobody crashed", me(ids(X)).withPrimary(true),
                        peer(ids(X)).withPrimary(true), noSync(SyncRule.BOTH_OFF)),

                // lost-quorum
                row("not lost-quorum: a side demoted since is not made target by it (its acknowledged writes)",
                        me(ids(X)).withLostQuorumAsPrimary(true), peer(ids(X)), noSync(SyncRule.BOTH_OFF)),
                row("not lost-quorum: both lost and demoted", me(ids(X)).withLostQuorumAsPrimary(true),
                        peer(ids(X)).withLostQuorumAsPrimary(true), noSync(SyncRule.BOTH_OFF)),
                row("lost-quorum: a side still Primary (frozen) is source, whatever the bitmap ids say",
                        me(ids(X)).withLostQuorumAsPrimary(true).withPrimary(true), peer(ids(X, X)),
                        source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.LOST_QUORUM)),
                row("lost-quorum: a frozen Primary that also crashed before is source by the lost-quorum rule",
                        me(ids(X)).withLostQuorumAsPrimary(true).withCrashedPrimary(true).withPrimary(true),
                        peer(ids(X)), source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.LOST_QUORUM)),
                row("not lost-quorum: a Secondary that lost it meets a crashed-primary Primary: crashed-primary first",
                        me(ids(X)).withLostQuorumAsPrimary(true), peer(ids(X)).withCrashedPrimary(true).withPrimary(true),
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.CRASHED_PRIMARY)),

                // both-off (40)
                row("both-off: the crashed Primary is source", me(ids(X)).withCrashedPrimary(true), peer(ids(X)),
                        source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.BOTH_OFF)),
                row("both-off: both crashed, RESOLVE_CONFLICTS holder is target", me(ids(X)).withCrashedPrimary(true),
                        peer(ids(X)).withCrashedPrimary(true),
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BOTH_OFF)),
                row("both-off: both crashed, the other side holds RESOLVE_CONFLICTS",
                        me(ids(X)).withCrashedPrimary(true).withResolveConflicts(false),
                        peer(ids(X)).withCrashedPrimary(true).withResolveConflicts(true),
                        source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.BOTH_OFF)),
                row("both-off: nobody crashed", me(ids(X)), peer(ids(X)), noSync(SyncRule.BOTH_OFF)),

                // bitmap-peer (50), bitmap-peer-other, sync-target-missed-start (51)
                row("bitmap-peer", me(ids(X)), peer(ids(Y, X)),
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BITMAP_PEER)),
                row("bitmap-peer: primary bits masked", me(ids(X | 1)), peer(ids(Y | 1, X | 1)),
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BITMAP_PEER)),
                row("not bitmap-peer: the peer's bitmap id is another generation", me(ids(X)), peer(ids(Y, Z)),
                        unrelated()),
                row("bitmap-peer-other", me(ids(X)), peer(ids(Y, 0, X)),
                        target(BecomeSyncTarget.Kind.CLEAR_BITMAP, SyncRule.BITMAP_PEER_OTHER)),
                row("not bitmap-peer-other: only my own other slot holds my current", me(ids(X, 0, X)), peer(ids(Y)),
                        unrelated()),
                row("sync-target-missed-start (51)", me(ids(X)), peer(ids(Y, X_STARTED, 0, X)),
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.SYNC_TARGET_MISSED_START)),
                row("not sync-target-missed-start: bitmap id is not history + 2^48", me(ids(X)), peer(ids(Y, Z, 0, X)),
                        target(BecomeSyncTarget.Kind.SET_BITMAP, SyncRule.HISTORY_PEER)),

                // bitmap-self (70), bitmap-self-other, sync-source-missed-start (71)
                row("bitmap-self", me(ids(X, Y)), peer(ids(Y)),
                        source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.BITMAP_SELF)),
                row("not bitmap-self: my bitmap id is another generation", me(ids(X, Z)), peer(ids(Y)), unrelated()),
                row("bitmap-self-other", me(ids(X, 0, Y)), peer(ids(Y)),
                        source(BecomeSyncSource.Kind.COPY_OTHER_BITMAP, SyncRule.BITMAP_SELF_OTHER)),
                row("not bitmap-self-other: the other slot holds a started resync id", me(ids(X, 0, Y_STARTED)),
                        peer(ids(Y)), unrelated()),
                row("sync-source-missed-start (71)", me(ids(X, Y_STARTED, 0, Y)), peer(ids(Y)),
                        source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.SYNC_SOURCE_MISSED_START)),
                row("not sync-source-missed-start: bitmap id is not history + 2^48", me(ids(X, Z, 0, Y)),
                        peer(ids(Y)), source(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.HISTORY_SELF)),

                // history-peer (60), history-self (80)
                row("history-peer", me(ids(X)), peer(ids(Y, 0, 0, Z, X)),
                        target(BecomeSyncTarget.Kind.SET_BITMAP, SyncRule.HISTORY_PEER)),
                row("not history-peer: each current is in the other's history", me(ids(X, 0, 0, Y, W)),
                        peer(ids(Y, 0, 0, X, W)), new SplitBrain(false, SyncRule.HISTORY_BOTH)),
                row("history-self", me(ids(X, 0, 0, Y)), peer(ids(Y)),
                        source(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.HISTORY_SELF)),
                row("not history-self: no asymmetry and no common ancestor", me(ids(X, 0, 0, Y)),
                        peer(ids(Y, 0, 0, X)), unrelated()),

                // bitmap-both (90), history-both (100), unrelated data
                row("bitmap-both", me(ids(X, Z)), peer(ids(Y, Z)), new SplitBrain(true, SyncRule.BITMAP_BOTH)),
                row("bitmap-both: primary bit masked", me(ids(X, Z | 1)), peer(ids(Y, Z)),
                        new SplitBrain(true, SyncRule.BITMAP_BOTH)),
                row("bitmap-both before history-both", me(ids(X, Z, 0, W)), peer(ids(Y, Z, 0, W)),
                        new SplitBrain(true, SyncRule.BITMAP_BOTH)),
                row("not bitmap-both: both bitmap ids empty", me(ids(X)), peer(ids(Y)), unrelated()),
                row("history-both", me(ids(X, 0, 0, Z, W)), peer(ids(Y, 0, 0, W)),
                        new SplitBrain(false, SyncRule.HISTORY_BOTH)),
                row("not history-both: JUST_CREATED is no common ancestor", me(ids(X, 0, 0, JC)),
                        peer(ids(Y, 0, 0, JC)), unrelated()),
                row("unrelated-data", me(ids(X, 0, 0, Z)), peer(ids(Y, 0, 0, W)), unrelated()),

                // symmetrised bitmap levels
                row("contradictory bitmap-peer and bitmap-self carry no evidence", me(ids(X, Y)), peer(ids(Y, X)),
                        unrelated()),
                row("bitmap-peer outranks bitmap-self-other", me(ids(X, 0, Y)), peer(ids(Y, X)),
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BITMAP_PEER)));
    }

    @Test
    void shouldRejectInputsWhenBothSidesHoldResolveConflicts() {
        SyncInput a = me(ids(X));
        SyncInput b = peer(ids(X)).withResolveConflicts(true);

        assertThatThrownBy(() -> SyncDecider.decide(a, b)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPrintDrbdNamesWhenLogged() {
        SyncDecision decision = SyncDecider.decide(me(ids(X)), peer(ids(Y, X)));

        assertThat(decision.logLine()).isEqualTo("sync decision: target-use-bitmap by rule bitmap-peer");
        assertThat(decision.mirror().logLine()).isEqualTo("sync decision: source-use-bitmap by rule bitmap-self");
    }

    private static Arguments row(String name, SyncInput me, SyncInput peer, SyncDecision expected) {
        return Arguments.of(name, me, peer, expected);
    }

    /** Two-slot ids: slot 0 is the connection's peer, slot 1 a third node. */
    private static GenerationIds ids(long current, long bitmapForPeer, long bitmapForOther, long... history) {
        return GenerationIds.of(current, new long[] {bitmapForPeer, bitmapForOther}, history);
    }

    private static GenerationIds ids(long current, long bitmapForPeer) {
        return ids(current, bitmapForPeer, 0);
    }

    private static GenerationIds ids(long current) {
        return ids(current, 0, 0);
    }

    private static SyncInput me(GenerationIds ids) {
        return SyncInput.of(ids, 0).withResolveConflicts(true);
    }

    private static SyncInput peer(GenerationIds ids) {
        return SyncInput.of(ids, 0);
    }

    private static NoSync noSync(SyncRule rule) {
        return new NoSync(rule);
    }

    private static BecomeSyncSource source(BecomeSyncSource.Kind kind, SyncRule rule) {
        return new BecomeSyncSource(kind, rule);
    }

    private static BecomeSyncTarget target(BecomeSyncTarget.Kind kind, SyncRule rule) {
        return new BecomeSyncTarget(kind, rule);
    }

    private static UnrelatedData unrelated() {
        return new UnrelatedData(SyncRule.UNRELATED_DATA);
    }
}

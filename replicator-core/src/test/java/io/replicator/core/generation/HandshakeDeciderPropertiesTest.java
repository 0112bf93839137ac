package io.replicator.core.generation;

import static io.replicator.core.generation.GenerationIds.UUID_JUST_CREATED;
import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.generation.HandshakeOutcome.Action;
import io.replicator.core.generation.HandshakeOutcome.Handler;
import io.replicator.core.state.DiskState;
import io.replicator.core.testing.SeededTries;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Symmetry of the whole handshake: the two nodes decide independently, each with itself as "self", and must agree —
 * the same action, and mirror-image decisions (one source and one target, or both no-sync), so that they never both
 * try to be source or target, and never one proceeds while the other drops the connection.
 *
 * <p>Ids come from a small pool (shared currents, a current in the other's bitmap slot or history, equal bitmap ids
 * for split brains, primary bits for "was Primary at the split", JUST_CREATED, empty slots), so every kind of
 * comparison result is common. Roles, disk states, changed-block counts, {@code --discard-my-data} and every value of
 * every policy are drawn independently; the coverage checks make a generator regression visible. Seeded
 * ({@link SeededTries}: the seed is printed, and {@code -Dreplicator.seed=S} repeats a run).
 */
class HandshakeDeciderPropertiesTest {
    private static final long A = 0x0A00L;
    private static final long B = 0x0B00L;
    private static final long C = 0x0C00L;
    private static final long D = 0x0D00L;
    private static final long E = 0x0E00L;
    private static final List<Long> POOL = List.of(0L, UUID_JUST_CREATED, A, B, C, A | 1, B | 1, C | 1);

    /** One handshake: the two sides, who resolves conflicts, and the policies as seen from {@code mine}. */
    record Trial(HandshakeSide mine, HandshakeSide theirs, boolean selfResolvesConflicts,
            SplitBrainPolicies policies) {
    }

    @Test
    @Timeout(60)
    void shouldAgreeOnBothNodesWhenSidesAreSwapped() {
        Map<String, Integer> outcomes = new TreeMap<>();
        long seed = SeededTries.check(5000, List.of(), HandshakeDeciderPropertiesTest::trial, trial -> {
            String kind = assertAgreement(trial);
            outcomes.merge(kind, 1, Integer::sum);
        });

        String coverage = "outcomes " + outcomes + " with base seed " + seed;
        double total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(100 * outcomes.getOrDefault("PROCEED", 0) / total).as(coverage).isGreaterThan(5);
        assertThat(100 * outcomes.getOrDefault("DISCONNECT", 0) / total).as(coverage).isGreaterThan(5);
        assertThat(outcomes.getOrDefault("RETRY_CONNECT", 0)).as(coverage).isGreaterThan(0);
        assertThat(100 * outcomes.getOrDefault("PROCEED after split brain", 0) / total).as(coverage).isGreaterThan(2);
        assertThat(100 * outcomes.getOrDefault("DISCONNECT after split brain", 0) / total).as(coverage)
            .isGreaterThan(2);
    }

    /** Asserts that both nodes agree; returns the outcome's kind, for the coverage checks. */
    private static String assertAgreement(Trial trial) {
        HandshakeSide mineSide = withResolveConflicts(trial.mine(), trial.selfResolvesConflicts());
        HandshakeSide theirSide = withResolveConflicts(trial.theirs(), !trial.selfResolvesConflicts());
        SplitBrainPolicies policies = trial.policies();

        HandshakeOutcome mine = HandshakeDecider.decide(mineSide, theirSide, policies);
        HandshakeOutcome theirs = HandshakeDecider.decide(theirSide, mineSide, policies.mirror());

        String why = mine.explanation() + " / " + theirs.explanation();
        assertThat(theirs.action()).as(why).isEqualTo(mine.action());
        assertThat(theirs.decision()).as(why).isEqualTo(mine.decision().mirror());
        if (mine.action() == Action.PROCEED) {
            assertThat(mine.syncSource()).as(why).isEqualTo(theirs.syncTarget());
            assertThat(mine.syncTarget()).as(why).isEqualTo(theirs.syncSource());
        }
        for (Handler shared : List.of(Handler.INITIAL_SPLIT_BRAIN, Handler.SPLIT_BRAIN)) {
            assertThat(theirs.handlers().contains(shared)).as(why).isEqualTo(mine.handlers().contains(shared));
        }
        for (Handler own : List.of(Handler.DEMOTE_ELSE_PRI_LOST_AFTER_SB, Handler.PRI_LOST)) {
            assertThat(mine.handlers().contains(own) && theirs.handlers().contains(own)).as(why).isFalse();
        }

        boolean splitBrain = mine.handlers().contains(Handler.INITIAL_SPLIT_BRAIN);
        return mine.action() + (splitBrain ? " after split brain" : "");
    }

    private static Trial trial(SplittableRandom random) {
        List<HandshakeSide> pair = pair(random);
        return new Trial(pair.get(0), pair.get(1), random.nextBoolean(), policies(random));
    }

    /**
     * Two sides: independent (a third of the time), or made into split brain candidates by giving both the same
     * bitmap id for each other (bitmap-both, each keeping its own primary bit) or a common history ancestor.
     */
    private static List<HandshakeSide> pair(SplittableRandom random) {
        HandshakeSide a = side(random);
        HandshakeSide b = side(random);
        int shape = random.nextInt(3);
        return shape == 0 ? List.of(a, b) : List.of(related(a, shape), related(b, shape));
    }

    /** Shape 1: bitmap id E for the peer (own primary bit kept); shape 2: history ancestor D. */
    private static HandshakeSide related(HandshakeSide side, int shape) {
        GenerationIds ids = side.sync().ids();
        return withIds(side, shape == 1
            ? GenerationIds.of(ids.current(), new long[] {E | (ids.bitmap(0) & 1), ids.bitmap(1)}, ids.history())
            : GenerationIds.of(ids.current(), ids.bitmaps(), D));
    }

    private static HandshakeSide withIds(HandshakeSide side, GenerationIds ids) {
        SyncInput s = side.sync();
        return new HandshakeSide(new SyncInput(ids, 0, s.primary(), s.crashedPrimary(), s.reconnect(),
            s.lostQuorumAsPrimary(), s.resolveConflicts()), side.disk(), side.changedBlocks(), side.discardMyData())
            .withFollowsPrimary(side.followsPrimary()).withHeldForAnotherPrimary(side.heldForAnotherPrimary());
    }

    private static HandshakeSide side(SplittableRandom random) {
        long current = pick(random, List.of(A, B, C, A | 1, B | 1, UUID_JUST_CREATED));
        long forPeer = pick(random, POOL);
        long forOther = pick(random, POOL);
        long[] history = new long[random.nextInt(4)];
        for (int i = 0; i < history.length; i++) {
            history[i] = pick(random, POOL);
        }
        GenerationIds ids = GenerationIds.of(current, new long[] {forPeer, forOther}, history);
        // Flag bits: 1 Primary, 2 crashed Primary, 4 reconnect, 8 lost quorum; no flags half of the time.
        int f = random.nextBoolean() ? 0 : random.nextInt(16);
        // UpToDate : Consistent : Outdated : Inconsistent = 6 : 2 : 2 : 2; --discard-my-data one time in five.
        int diskWeight = random.nextInt(12);
        DiskState disk = diskWeight < 6 ? DiskState.UP_TO_DATE
            : diskWeight < 8 ? DiskState.CONSISTENT
            : diskWeight < 10 ? DiskState.OUTDATED
            : DiskState.INCONSISTENT;
        long changed = pick(random, List.of(0L, 0L, 1L, 3L, 3L, 100L));
        boolean discardMyData = random.nextInt(5) == 0;
        // An Inconsistent side follows a Primary's generation one time in three.
        boolean follows = disk == DiskState.INCONSISTENT && random.nextInt(3) == 0;
        return new HandshakeSide(new SyncInput(ids, 0, (f & 1) != 0, (f & 2) != 0, (f & 4) != 0, (f & 8) != 0, false),
            disk, changed, discardMyData).withFollowsPrimary(follows).withHeldForAnotherPrimary(random.nextInt(4) == 0);
    }

    private static SplitBrainPolicies policies(SplittableRandom random) {
        return new SplitBrainPolicies(pick(random, AfterSb0pri.class), pick(random, AfterSb1pri.class),
            pick(random, AfterSb2pri.class), pick(random, RrConflict.class), random.nextBoolean());
    }

    private static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static <E extends Enum<E>> E pick(SplittableRandom random, Class<E> type) {
        E[] values = type.getEnumConstants();
        return values[random.nextInt(values.length)];
    }

    private static HandshakeSide withResolveConflicts(HandshakeSide side, boolean value) {
        return new HandshakeSide(side.sync().withResolveConflicts(value), side.disk(), side.changedBlocks(),
            side.discardMyData()).withFollowsPrimary(side.followsPrimary())
            .withHeldForAnotherPrimary(side.heldForAnotherPrimary());
    }
}

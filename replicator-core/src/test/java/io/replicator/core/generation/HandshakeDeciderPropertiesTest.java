package io.replicator.core.generation;

import static io.replicator.core.generation.GenerationIds.UUID_JUST_CREATED;
import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.generation.HandshakeOutcome.Action;
import io.replicator.core.generation.HandshakeOutcome.Handler;
import io.replicator.core.state.DiskState;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Symmetry of the whole handshake: the two nodes decide independently, each with itself as "self", and must agree —
 * the same action, and mirror-image decisions (one source and one target, or both no-sync), so that they never both
 * try to be source or target, and never one proceeds while the other drops the connection.
 *
 * <p>Ids come from a small pool (shared currents, a current in the other's bitmap slot or history, equal bitmap ids
 * for split brains, primary bits for "was Primary at the split", JUST_CREATED, empty slots), so every kind of
 * comparison result is common. Roles, disk states, changed-block counts, {@code --discard-my-data} and every value of
 * every policy are drawn independently; the coverage checks make a generator regression visible. jqwik prints the
 * seed of a failing run.
 */
class HandshakeDeciderPropertiesTest {
    private static final long A = 0x0A00L;
    private static final long B = 0x0B00L;
    private static final long C = 0x0C00L;
    private static final long D = 0x0D00L;
    private static final long E = 0x0E00L;
    private static final List<Long> POOL = List.of(0L, UUID_JUST_CREATED, A, B, C, A | 1, B | 1, C | 1);

    @Property(tries = 5000)
    void shouldAgreeOnBothNodesWhenSidesAreSwapped(@ForAll("pairs") List<HandshakeSide> pair,
            @ForAll boolean selfResolvesConflicts, @ForAll("policies") SplitBrainPolicies policies) {
        HandshakeSide mineSide = withResolveConflicts(pair.get(0), selfResolvesConflicts);
        HandshakeSide theirSide = withResolveConflicts(pair.get(1), !selfResolvesConflicts);

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
        String kind = mine.action() + (splitBrain ? " after split brain" : "");
        Statistics.label("outcome").collect(kind);
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("PROCEED").percentage(p -> p > 5);
            coverage.check("DISCONNECT").percentage(p -> p > 5);
            coverage.check("RETRY_CONNECT").count(n -> n > 0);
            coverage.check("PROCEED after split brain").percentage(p -> p > 2);
            coverage.check("DISCONNECT after split brain").percentage(p -> p > 2);
        });
    }

    /**
     * Two sides: independent (a third of the time), or made into split brain candidates by giving both the same
     * bitmap id for each other (bitmap-both, each keeping its own primary bit) or a common history ancestor.
     */
    @Provide
    Arbitrary<List<HandshakeSide>> pairs() {
        return Combinators.combine(sides(), sides(), Arbitraries.integers().between(0, 2)).as((a, b, shape) -> {
            return shape == 0 ? List.of(a, b) : List.of(related(a, shape), related(b, shape));
        });
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
            s.lostQuorumAsPrimary(), s.resolveConflicts()), side.disk(), side.changedBlocks(), side.discardMyData());
    }

    private static Arbitrary<HandshakeSide> sides() {
        Arbitrary<Long> id = Arbitraries.of(POOL);
        Arbitrary<Long> current = Arbitraries.of(A, B, C, A | 1, B | 1, UUID_JUST_CREATED);
        Arbitrary<GenerationIds> ids = Combinators.combine(current, id, id, id.list().ofMaxSize(3))
            .as((cur, forPeer, forOther, history) -> GenerationIds.of(cur, new long[] {forPeer, forOther},
                history.stream().mapToLong(Long::longValue).toArray()));
        Arbitrary<Integer> flags = Arbitraries.oneOf(List.of(Arbitraries.just(0), Arbitraries.integers().between(0, 15)));
        Arbitrary<DiskState> disk = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just(DiskState.UP_TO_DATE)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(DiskState.CONSISTENT)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(DiskState.OUTDATED)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(DiskState.INCONSISTENT)));
        Arbitrary<Long> changed = Arbitraries.of(0L, 0L, 1L, 3L, 3L, 100L);
        Arbitrary<Boolean> discardMyData = Arbitraries.frequency(
            net.jqwik.api.Tuple.of(4, false), net.jqwik.api.Tuple.of(1, true));
        return Combinators.combine(ids, flags, disk, changed, discardMyData)
            .as((i, f, d, c, discard) -> new HandshakeSide(new SyncInput(i, 0, (f & 1) != 0, (f & 2) != 0,
                (f & 4) != 0, (f & 8) != 0, false), d, c, discard));
    }

    @Provide
    Arbitrary<SplitBrainPolicies> policies() {
        return Combinators.combine(Arbitraries.of(AfterSb0pri.class), Arbitraries.of(AfterSb1pri.class),
                Arbitraries.of(AfterSb2pri.class), Arbitraries.of(RrConflict.class), Arbitraries.of(true, false))
            .as(SplitBrainPolicies::new);
    }

    private static HandshakeSide withResolveConflicts(HandshakeSide side, boolean value) {
        return new HandshakeSide(side.sync().withResolveConflicts(value), side.disk(), side.changedBlocks(),
            side.discardMyData());
    }
}

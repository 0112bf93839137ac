package io.replicator.core.generation;

import static io.replicator.core.generation.GenerationIds.UUID_JUST_CREATED;
import static io.replicator.core.generation.GenerationIds.UUID_NEW_BM_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Symmetry of the connect-time decision: both sides of a connection must reach mirror images, or they would both
 * try to be source (or target) of the same resync.
 *
 * <p>Independent random 64-bit ids would almost always be "unrelated data", so pairs come from two generators that
 * relate them on purpose: ids drawn from a small pool (shared currents, a current in the other's bitmap slot or
 * history, started-resync ids, primary bits, JUST_CREATED, empty slots, random flags), and pairs of nodes evolved
 * from a common start through random transitions, including resyncs whose start or finish one side missed. The
 * coverage check makes a generator regression visible. jqwik does not honour JUnit's {@code @Timeout}; the tries
 * bound the run instead (a few hundred milliseconds). jqwik prints the seed of a failing run.
 */
class SyncDeciderPropertiesTest {
    private static final long A = 0x0A00L;
    private static final long B = 0x0B00L;
    private static final long C = 0x0C00L;
    private static final long D = 0x0D00L;
    private static final List<Long> POOL = List.of(0L, 0L, UUID_JUST_CREATED, A, B, C, D,
            A + UUID_NEW_BM_OFFSET, B + UUID_NEW_BM_OFFSET, C + UUID_NEW_BM_OFFSET, A | 1, B | 1, C | 1);

    @Property(tries = 3000)
    void shouldMirrorDecisionWhenSidesAreSwapped(@ForAll("relatedPairs") Pair pair) {
        SyncDecision mine = SyncDecider.decide(pair.self(), pair.peer());
        SyncDecision theirs = SyncDecider.decide(pair.peer(), pair.self());

        Statistics.label("rule").collect(mine.rule());
        assertThat(theirs).as("%s vs %s", pair.self(), pair.peer()).isEqualTo(mine.mirror());
        Statistics.label("rule").coverage(coverage -> {
            for (SyncRule rule : SyncRule.values()) {
                if (rule == SyncRule.MARKED_BLOCKS) {
                    continue; // decided by HandshakeDecider after the comparison, never by SyncDecider
                }
                coverage.check(rule).count(n -> n > 0);
            }
        });
    }

    @Property(tries = 1000)
    void shouldMirrorDiskStateOverrideWhenSidesAreSwapped(@ForAll("relatedPairs") Pair pair,
            @ForAll boolean selfInconsistent, @ForAll boolean peerInconsistent) {
        SyncDecision mine = DiskStateOverride.apply(
                SyncDecider.decide(pair.self(), pair.peer()), selfInconsistent, peerInconsistent);
        SyncDecision theirs = DiskStateOverride.apply(
                SyncDecider.decide(pair.peer(), pair.self()), peerInconsistent, selfInconsistent);

        assertThat(theirs).isEqualTo(mine.mirror());
    }

    /** The two sides of one connection; each uses slot 0 for the other, slot 1 for a third node. */
    record Pair(SyncInput self, SyncInput peer) {
    }

    @Provide
    Arbitrary<Pair> relatedPairs() {
        return Arbitraries.oneOf(List.of(pooledPairs(), evolvedPairs()));
    }

    private static Arbitrary<Pair> pooledPairs() {
        Arbitrary<Long> id = Arbitraries.of(POOL);
        // Mostly data-bearing currents: a JUST_CREATED current ends the comparison at its first rules.
        Arbitrary<Long> dataCurrent = Arbitraries.oneOf(List.of(id, Arbitraries.of(A, B, C, A | 1, B | 1)));
        Arbitrary<GenerationIds> ids = Combinators.combine(dataCurrent, id, id, id.list().ofMaxSize(4))
                .as((current, forPeer, forOther, history) -> GenerationIds.of(current, new long[] {forPeer, forOther},
                        history.stream().mapToLong(Long::longValue).toArray()));
        Arbitrary<Integer> relation = Arbitraries.integers().between(0, 4);
        Arbitrary<Boolean> bool = Arbitraries.of(true, false);
        return Combinators.combine(ids, ids, flags(), flags(), relation, bool, bool)
                .as((a, b, flagsA, flagsB, how, resolve, swap) -> {
                    SyncInput first = input(a, flagsA, resolve);
                    SyncInput second = input(relate(a, b, how), flagsB, !resolve);
                    return swap ? new Pair(second, first) : new Pair(first, second);
                });
    }

    /**
     * Makes {@code b} related to {@code a}: equal currents; a's current in b's slot for a; a's current in b's
     * history; or b started a resync toward a (history[0] = a's current, slot = that + 2^48).
     */
    private static GenerationIds relate(GenerationIds a, GenerationIds b, int how) {
        return switch (how) {
            case 0 -> GenerationIds.of(GenerationIds.mask(a.current()) | (b.current() & 1), b.bitmaps(), b.history());
            case 1 -> GenerationIds.of(b.current(), new long[] {a.current(), b.bitmap(1)}, b.history());
            case 2 -> GenerationIds.of(b.current(), b.bitmaps(), withNewest(a.current(), b.history()));
            case 3 -> GenerationIds.of(b.current(), new long[] {a.current() + UUID_NEW_BM_OFFSET, b.bitmap(1)},
                    withNewest(a.current(), b.history()));
            default -> b;
        };
    }

    private static long[] withNewest(long id, long[] history) {
        long[] next = new long[GenerationIds.HISTORY_SIZE];
        next[0] = id;
        System.arraycopy(history, 0, next, 1, GenerationIds.HISTORY_SIZE - 1);
        return next;
    }

    private static Arbitrary<Pair> evolvedPairs() {
        Arbitrary<Long> seeds = Arbitraries.longs();
        Arbitrary<Integer> steps = Arbitraries.integers().between(1, 8);
        return Combinators.combine(seeds, steps, flags(), flags(), Arbitraries.of(true, false))
                .as((seed, n, flagsA, flagsB, resolve) -> {
                    GenerationIds[] nodes = evolve(seed, n);
                    return new Pair(input(nodes[0], flagsA, resolve), input(nodes[1], flagsB, !resolve));
                });
    }

    /** Two nodes from one start (or, one time in eight, none), driven by {@code steps} random transitions. */
    private static GenerationIds[] evolve(long seed, int steps) {
        SplittableRandom random = new SplittableRandom(seed);
        GenerationIds a = GenerationIds.justCreated(2);
        GenerationIds b = GenerationIds.justCreated(2);
        if (random.nextInt(8) != 0) {
            a = a.newCurrent(random, true, PeerSlots.none());
            GenerationIds[] synced = resync(a, b, random, 0);
            a = synced[0];
            b = synced[1];
        }
        for (int i = 0; i < steps; i++) {
            switch (random.nextInt(8)) {
                case 0 -> a = a.newCurrent(random, random.nextBoolean(), PeerSlots.of(0));
                case 1 -> b = b.newCurrent(random, random.nextBoolean(), PeerSlots.of(0));
                case 2 -> a = a.newCurrent(random, random.nextBoolean(), PeerSlots.of(1));
                case 3 -> b = b.newCurrent(random, random.nextBoolean(), PeerSlots.none());
                case 4 -> {
                    GenerationIds[] r = resync(a, b, random, random.nextInt(5));
                    a = r[0];
                    b = r[1];
                }
                case 5 -> {
                    GenerationIds[] r = resync(b, a, random, random.nextInt(5));
                    b = r[0];
                    a = r[1];
                }
                case 6 -> a = a.clearBitmapSkipInitialSync(random, false);
                default -> b = b.resyncStartingAsTarget(PeerSlots.of(1));
            }
        }
        return new GenerationIds[] {a, b};
    }

    /**
     * A resync from {@code source} to {@code target}. Mode 0 completes; 1: the source misses the finish; 2: the
     * target misses the finish; 3: interrupted; 4: the target never saw the start.
     */
    private static GenerationIds[] resync(GenerationIds source, GenerationIds target, SplittableRandom random,
            int mode) {
        GenerationIds s = source.resyncStartingAsSource(0, random);
        if (mode == 4) {
            return new GenerationIds[] {s, target};
        }
        GenerationIds t = target.resyncStartingAsTarget(PeerSlots.of(1));
        return switch (mode) {
            case 0 -> new GenerationIds[] {s.resyncFinishedAsSource(0), t.resyncFinishedAsTarget(0, s)};
            case 1 -> new GenerationIds[] {s, t.resyncFinishedAsTarget(0, s)};
            case 2 -> new GenerationIds[] {s.resyncFinishedAsSource(0), t};
            default -> new GenerationIds[] {s, t};
        };
    }

    /** Flag bits: 1 Primary, 2 crashed Primary, 4 reconnect, 8 lost quorum; no flags half of the time. */
    private static Arbitrary<Integer> flags() {
        return Arbitraries.oneOf(List.of(Arbitraries.just(0), Arbitraries.integers().between(0, 15)));
    }

    private static SyncInput input(GenerationIds ids, int flags, boolean resolveConflicts) {
        return new SyncInput(ids, 0, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0,
                resolveConflicts);
    }
}

package io.replicator.core.generation;

import static io.replicator.core.generation.GenerationIds.UUID_JUST_CREATED;
import static io.replicator.core.generation.GenerationIds.UUID_NEW_BM_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.testing.SeededTries;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Symmetry of the connect-time decision: both sides of a connection must reach mirror images, or they would both
 * try to be source (or target) of the same resync.
 *
 * <p>Independent random 64-bit ids would almost always be "unrelated data", so pairs come from two generators that
 * relate them on purpose: ids drawn from a small pool (shared currents, a current in the other's bitmap slot or
 * history, started-resync ids, primary bits, JUST_CREATED, empty slots, random flags), and pairs of nodes evolved
 * from a common start through random transitions, including resyncs whose start or finish one side missed. The
 * coverage check makes a generator regression visible. Seeded ({@link SeededTries}: the seed is printed, and
 * {@code -Dreplicator.seed=S} repeats a run).
 */
class SyncDeciderPropertiesTest {
    private static final long A = 0x0A00L;
    private static final long B = 0x0B00L;
    private static final long C = 0x0C00L;
    private static final long D = 0x0D00L;
    private static final List<Long> POOL = List.of(0L, 0L, UUID_JUST_CREATED, A, B, C, D,
            A + UUID_NEW_BM_OFFSET, B + UUID_NEW_BM_OFFSET, C + UUID_NEW_BM_OFFSET, A | 1, B | 1, C | 1);

    /**
     * 10 000 tries: rules 34 and 35 (a missed resync finish, then equal currents) come about once in 700 tries each,
     * so the 3000 tries this test used to run left one of them out, failing the coverage check, for about one base
     * seed in 50.
     */
    @Test
    @Timeout(60)
    void shouldMirrorDecisionWhenSidesAreSwapped() {
        Map<SyncRule, Integer> rules = new EnumMap<>(SyncRule.class);
        long seed = SeededTries.check(10_000, List.of(), SyncDeciderPropertiesTest::relatedPair, pair -> {
            SyncDecision mine = SyncDecider.decide(pair.self(), pair.peer());
            SyncDecision theirs = SyncDecider.decide(pair.peer(), pair.self());

            rules.merge(mine.rule(), 1, Integer::sum);
            assertThat(theirs).as("%s vs %s", pair.self(), pair.peer()).isEqualTo(mine.mirror());
        });

        // MARKED_BLOCKS and SAME_PRIMARY are decided by HandshakeDecider, never by SyncDecider.
        Set<SyncRule> compared = EnumSet.complementOf(EnumSet.of(SyncRule.MARKED_BLOCKS, SyncRule.SAME_PRIMARY));
        assertThat(rules).as("rules decided, with base seed %d", seed).containsOnlyKeys(compared);
    }

    /** Whether each side's disk is Inconsistent, with a related pair. */
    record Disks(Pair pair, boolean selfInconsistent, boolean peerInconsistent) {
    }

    @Test
    @Timeout(60)
    void shouldMirrorDiskStateOverrideWhenSidesAreSwapped() {
        SeededTries.check(1000, List.of(),
            random -> new Disks(relatedPair(random), random.nextBoolean(), random.nextBoolean()),
            disks -> {
                Pair pair = disks.pair();
                SyncDecision mine = DiskStateOverride.apply(
                        SyncDecider.decide(pair.self(), pair.peer()), disks.selfInconsistent(),
                        disks.peerInconsistent());
                SyncDecision theirs = DiskStateOverride.apply(
                        SyncDecider.decide(pair.peer(), pair.self()), disks.peerInconsistent(),
                        disks.selfInconsistent());

                assertThat(theirs).isEqualTo(mine.mirror());
            });
    }

    /** The two sides of one connection; each uses slot 0 for the other, slot 1 for a third node. */
    record Pair(SyncInput self, SyncInput peer) {
    }

    /** Half pooled pairs, half evolved pairs. */
    private static Pair relatedPair(SplittableRandom random) {
        return random.nextBoolean() ? pooledPair(random) : evolvedPair(random);
    }

    private static Pair pooledPair(SplittableRandom random) {
        GenerationIds a = pooledIds(random);
        GenerationIds b = pooledIds(random);
        int flagsA = flags(random);
        int flagsB = flags(random);
        int how = random.nextInt(5);
        boolean resolve = random.nextBoolean();
        boolean swap = random.nextBoolean();
        SyncInput first = input(a, flagsA, resolve);
        SyncInput second = input(relate(a, b, how), flagsB, !resolve);
        return swap ? new Pair(second, first) : new Pair(first, second);
    }

    private static GenerationIds pooledIds(SplittableRandom random) {
        // Mostly data-bearing currents: a JUST_CREATED current ends the comparison at its first rules.
        long current = random.nextBoolean() ? pick(random, POOL) : pick(random, List.of(A, B, C, A | 1, B | 1));
        long forPeer = pick(random, POOL);
        long forOther = pick(random, POOL);
        long[] history = new long[random.nextInt(5)];
        for (int i = 0; i < history.length; i++) {
            history[i] = pick(random, POOL);
        }
        return GenerationIds.of(current, new long[] {forPeer, forOther}, history);
    }

    private static long pick(SplittableRandom random, List<Long> values) {
        return values.get(random.nextInt(values.size()));
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

    private static Pair evolvedPair(SplittableRandom random) {
        GenerationIds[] nodes = evolve(random.nextLong(), random.nextInt(1, 9));
        int flagsA = flags(random);
        int flagsB = flags(random);
        boolean resolve = random.nextBoolean();
        return new Pair(input(nodes[0], flagsA, resolve), input(nodes[1], flagsB, !resolve));
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
    private static int flags(SplittableRandom random) {
        return random.nextBoolean() ? 0 : random.nextInt(16);
    }

    private static SyncInput input(GenerationIds ids, int flags, boolean resolveConflicts) {
        return new SyncInput(ids, 0, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0,
                resolveConflicts);
    }
}

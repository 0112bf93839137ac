package io.replicator.core.generation;

import static io.replicator.core.generation.GenerationIds.HISTORY_SIZE;
import static io.replicator.core.generation.GenerationIds.UUID_JUST_CREATED;
import static io.replicator.core.generation.GenerationIds.UUID_NEW_BM_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class GenerationIdsTest {
    private static final long X = 0x1110L;
    private static final long Y = 0x2220L;
    private static final long Z = 0x3330L;

    @Test
    void sameIds_comparesEveryIdButThePrimaryBit() {
        GenerationIds ids = GenerationIds.of(0x1000, new long[] {0x2000, 0}, 0x3000);
        assertThat(ids.sameIds(GenerationIds.of(0x1001, new long[] {0x2000, 0}, 0x3000))).as("Primary bit").isTrue();
        assertThat(ids.sameIds(GenerationIds.of(0x1000, new long[] {0x2000, 0x4000}, 0x3000)))
            .as("a bitmap id set since the report").isFalse();
        assertThat(ids.sameIds(GenerationIds.of(0x1000, new long[] {0x2000, 0}, 0x5000))).as("history").isFalse();
    }

    @Test
    void shouldStartEmptyWhenJustCreated() {
        GenerationIds ids = GenerationIds.justCreated(3);

        assertThat(ids.current()).isEqualTo(UUID_JUST_CREATED);
        assertThat(ids.peerSlots()).isEqualTo(3);
        assertThat(ids.bitmaps()).containsExactly(0, 0, 0);
        assertThat(ids.history()).hasSize(HISTORY_SIZE).containsOnly(0L);
    }

    @Test
    void shouldRejectPeerCountsWhenOutOfRange() {
        assertThatThrownBy(() -> GenerationIds.justCreated(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GenerationIds.justCreated(GenerationIds.MAX_PEERS + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(GenerationIds.justCreated(GenerationIds.MAX_PEERS).peerSlots()).isEqualTo(32);
    }

    @Test
    void shouldRotateOldCurrentIntoEmptyListedSlotsWhenNewCurrent() {
        GenerationIds ids = GenerationIds.of(X | 1, new long[] {0, 0, 0});

        GenerationIds next = ids.newCurrent(scripted(Y), true, PeerSlots.of(0, 2));

        assertThat(next.current()).isEqualTo(Y | 1);
        assertThat(next.bitmaps()).containsExactly(X | 1, 0, X | 1);
        assertThat(next.history(0)).as("a slot took the old current").isZero();
    }

    @Test
    void shouldKeepAnOlderBitmapIdWhenItsPeerHasBeenAwayLonger() {
        GenerationIds ids = GenerationIds.of(Y, new long[] {X, Y});

        GenerationIds next = ids.newCurrent(scripted(Z), false, PeerSlots.of(0, 1));

        assertThat(next.bitmaps()).containsExactly(X, Y);
        assertThat(next.current()).isEqualTo(Z);
    }

    @Test
    void shouldPushOldCurrentToHistoryWhenNoSlotTakesIt() {
        GenerationIds ids = GenerationIds.of(X | 1, new long[] {Z});

        GenerationIds unlisted = ids.newCurrent(scripted(Y), false, PeerSlots.none());
        GenerationIds occupied = ids.newCurrent(scripted(Y), false, PeerSlots.of(0));

        assertThat(unlisted.history(0)).isEqualTo(X);
        assertThat(unlisted.bitmap(0)).isEqualTo(Z);
        assertThat(occupied.history(0)).isEqualTo(X);
        assertThat(occupied.bitmap(0)).isEqualTo(Z);
    }

    @Test
    void shouldNeverDrawZeroJustCreatedOrTheOldIdWhenNewCurrent() {
        GenerationIds ids = GenerationIds.of(X, new long[] {0});

        GenerationIds next = ids.newCurrent(scripted(0, 1, UUID_JUST_CREATED, UUID_JUST_CREATED | 1, X | 1, Y),
                false, PeerSlots.none());

        assertThat(next.current()).isEqualTo(Y);
    }

    @Test
    void shouldSetPrimaryBitOnlyWhenPrimary() {
        GenerationIds ids = GenerationIds.of(X, new long[] {0});

        assertThat(ids.newCurrent(scripted(Y | 1), false, PeerSlots.none()).current()).isEqualTo(Y);
        assertThat(ids.newCurrent(scripted(Y), true, PeerSlots.none()).current()).isEqualTo(Y | 1);
        assertThat(ids.withPrimaryBit(true).current()).isEqualTo(X | 1);
        assertThat(ids.withPrimaryBit(true).withPrimaryBit(false)).isEqualTo(ids);
    }

    @Test
    void shouldRejectRotationWhenSlotDoesNotExist() {
        GenerationIds ids = GenerationIds.of(X, new long[] {0});

        assertThatThrownBy(() -> ids.newCurrent(scripted(Y), false, PeerSlots.of(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldOffsetBitmapIdWhenResyncStartsOnSource() {
        GenerationIds ids = GenerationIds.of(Y, new long[] {X | 1}, Z);

        GenerationIds next = ids.resyncStartingAsSource(0, scripted());

        assertThat(next.bitmap(0)).isEqualTo((X | 1) + UUID_NEW_BM_OFFSET);
        assertThat(next.history()).startsWith(X, Z);
        assertThat(next.current()).isEqualTo(Y);
    }

    @Test
    void shouldDrawRandomBitmapIdWhenResyncStartsFromEmptyOrJustCreatedSlot() {
        GenerationIds empty = GenerationIds.of(Y, new long[] {0});
        GenerationIds fresh = GenerationIds.of(Y, new long[] {UUID_JUST_CREATED});

        assertThat(empty.resyncStartingAsSource(0, scripted(Z)).bitmap(0)).isEqualTo(Z);
        assertThat(fresh.resyncStartingAsSource(0, scripted(0, Z)).bitmap(0)).isEqualTo(Z);
        assertThat(fresh.resyncStartingAsSource(0, scripted(Z)).history(0)).as("JUST_CREATED not kept").isZero();
    }

    @Test
    void shouldRotateCurrentButKeepItWhenResyncStartsOnTarget() {
        GenerationIds ids = GenerationIds.of(X, new long[] {0, 0, Z});

        GenerationIds next = ids.resyncStartingAsTarget(PeerSlots.of(1, 2));

        assertThat(next.current()).isEqualTo(X);
        assertThat(next.bitmaps()).containsExactly(0, X, Z);
        assertThat(next.history(0)).isZero();
    }

    @Test
    void shouldAdoptSourceAndImportItsHistoryWhenResyncEndsOnTarget() {
        GenerationIds source = GenerationIds.of(Y | 1, new long[] {X + UUID_NEW_BM_OFFSET, 0}, X, Z);
        GenerationIds target = GenerationIds.of(X, new long[] {0, 0});

        GenerationIds next = target.resyncFinishedAsTarget(0, source);

        assertThat(next.current()).as("role bit stays the target's").isEqualTo(Y);
        assertThat(next.bitmaps()).containsExactly(0, 0);
        assertThat(next.history()).startsWith(X + UUID_NEW_BM_OFFSET, X, Z);
    }

    /**
     * A split brain this node lost: its own generation (W, since the split at Z) was discarded, so it must not stay in
     * its history — a third node still holding W's writes would later look like this node's ancestor, and be
     * overwritten by it without a split brain (simulation seed 4253632408388199211, three nodes).
     */
    @Test
    void shouldForgetItsDiscardedGenerationWhenASplitBrainResyncEndsOnTarget() {
        long w = 0x4440L;
        GenerationIds source = GenerationIds.of(Y, new long[] {Z, 0}, X);
        GenerationIds target = GenerationIds.of(w, new long[] {Z, 0}, X);

        GenerationIds next = target.resyncFinishedAsTarget(0, source);

        assertThat(next.current()).isEqualTo(Y);
        assertThat(next.history()).doesNotContain(w);
    }

    /** The same at the start of that resync: the discarded generation goes neither to history nor to a slot. */
    @Test
    void shouldForgetItsDiscardedGenerationWhenASplitBrainResyncStartsOnTarget() {
        long w = 0x4440L;
        GenerationIds source = GenerationIds.of(Y, new long[] {Z, 0}, X);
        GenerationIds target = GenerationIds.of(w, new long[] {Z, 0}, X);

        GenerationIds next = target.resyncStartingAsTarget(PeerSlots.of(1), Z, source);

        assertThat(next.current()).isEqualTo(Z);
        assertThat(next.history()).doesNotContain(w);
        assertThat(next.bitmaps()).doesNotContain(w);
    }

    /**
     * An Inconsistent target (current: the resync's id S) whose source, a Primary, started generation Y after X: the
     * target takes Y's writes, so it carries Y and descends from X — to a node still at X (an older Primary that lost
     * quorum) it is ahead, not an ancestor to be overwritten (simulation seed 4366524313826046807, three nodes).
     */
    @Test
    void shouldCarryThePrimarysGenerationAndDescendFromItsHistoryWhenFollowingItInconsistent() {
        long syncId = 0x5550L;
        GenerationIds primary = GenerationIds.of(Y | 1, new long[] {syncId, X}, Z);
        GenerationIds target = GenerationIds.of(syncId, new long[] {0, 0}, Z);

        GenerationIds next = target.followingPrimary(primary);

        assertThat(next.current()).as("role bit stays the target's").isEqualTo(Y);
        assertThat(next.bitmaps()).containsExactly(0, 0);
        assertThat(next.descendsFrom(X)).isTrue();
        assertThat(next.descendsFrom(syncId)).isTrue();
        assertThat(next.descendsFrom(Y)).as("its own current").isFalse();
        assertThat(target.followingPrimary(target)).isSameAs(target);
    }

    /**
     * A copy that followed the Primary's generation Y from X (Inconsistent, holding Y in part) and is forced up: X, the
     * generation it held in full, goes into the slots of the peers away, and Y nowhere. Kept, the Primary still at Y,
     * with writes this copy never got, would match a slot (bitmap-peer) and be overwritten without a split brain
     * (simulation seed -4534909588574701163, two nodes).
     */
    @Test
    void shouldMoveOnFromTheGenerationHeldInFullWhenForcedUpWhileFollowing() {
        GenerationIds following = GenerationIds.of(Y, new long[] {0, 0}, X, Z);

        GenerationIds forced = following.newCurrentFromFollowed(scripted(0x7770L), true, X, PeerSlots.of(0));

        assertThat(forced.bitmap(0)).isEqualTo(X);
        assertThat(forced.descendsFrom(Y)).isFalse();
        assertThat(following.newCurrent(scripted(0x7770L), true, PeerSlots.of(0)).bitmap(0))
            .as("newCurrent would claim Y").isEqualTo(Y);
    }

    /** A current the Primary does not know (discarded in a split brain) is not kept as an ancestor. */
    @Test
    void shouldNotKeepACurrentThePrimaryDoesNotKnowWhenFollowingIt() {
        long discarded = 0x4440L;
        GenerationIds primary = GenerationIds.of(Y, new long[] {X, 0}, Z);

        GenerationIds next = GenerationIds.of(discarded, new long[] {0, 0}, Z).followingPrimary(primary);

        assertThat(next.current()).isEqualTo(Y);
        assertThat(next.descendsFrom(discarded)).isFalse();
    }

    @Test
    void shouldHaveMovedOnFromTheCurrentItRotatedAwayAndNoOlderOne() {
        GenerationIds rotated = GenerationIds.of(Y, new long[] {X, 0}, Z);
        GenerationIds intoHistory = GenerationIds.of(Y, new long[] {0, 0}, X, Z);

        assertThat(rotated.movedOnFrom(X)).isTrue();
        assertThat(intoHistory.movedOnFrom(X)).isTrue();
        assertThat(intoHistory.movedOnFrom(Z)).as("two generations back: not a follower").isFalse();
        assertThat(rotated.movedOnFrom(0x7770L)).isFalse();
    }

    @Test
    void shouldClearSlotIntoHistoryWhenResyncEndsOnSource() {
        GenerationIds ids = GenerationIds.of(Y, new long[] {X + UUID_NEW_BM_OFFSET}, X);

        GenerationIds next = ids.resyncFinishedAsSource(0);

        assertThat(next.bitmap(0)).isZero();
        assertThat(next.history()).startsWith(X + UUID_NEW_BM_OFFSET, X);
    }

    @Test
    void shouldClearEveryBitmapAndRememberThemWhenSkippingInitialSync() {
        GenerationIds ids = GenerationIds.of(X, new long[] {Z, 0});

        GenerationIds next = ids.clearBitmapSkipInitialSync(scripted(Y), true);

        assertThat(next.current()).isEqualTo(Y | 1);
        assertThat(next.bitmaps()).containsExactly(0, 0);
        assertThat(next.history()).startsWith(Z, X);
    }

    @Test
    void shouldKeepOnlyNewestIdsWhenHistoryOverflows() {
        long[] history = GenerationIds.justCreated(1).history();
        for (long id = 1; id <= HISTORY_SIZE + 3; id++) {
            history = GenerationIds.pushed(history, id << 8);
        }

        assertThat(history).hasSize(HISTORY_SIZE);
        assertThat(history[0]).isEqualTo((long) (HISTORY_SIZE + 3) << 8);
        assertThat(history[HISTORY_SIZE - 1]).as("the three oldest fell off").isEqualTo(4L << 8);
    }

    @Test
    void shouldNotStoreZeroJustCreatedOrRepeatOfNewestWhenPushed() {
        long[] history = GenerationIds.pushed(GenerationIds.justCreated(1).history(), X | 1);

        assertThat(GenerationIds.pushed(history, 0)).isSameAs(history);
        assertThat(GenerationIds.pushed(history, 1)).as("only the primary bit").isSameAs(history);
        assertThat(GenerationIds.pushed(history, UUID_JUST_CREATED)).isSameAs(history);
        assertThat(GenerationIds.pushed(history, X)).as("repeat of newest, bit masked").isSameAs(history);
        assertThat(history[0]).as("stored masked").isEqualTo(X);
        assertThat(GenerationIds.pushed(GenerationIds.pushed(history, Y), X)).startsWith(X, Y, X);
    }

    @Test
    void shouldCompactAndMaskHistoryWhenLoaded() {
        GenerationIds ids = GenerationIds.of(X, new long[] {0}, 0, Y | 1, 0, Z);

        assertThat(ids.history()).startsWith(Y, Z, 0);
        assertThat(ids.historyContains(Y | 1)).isTrue();
        assertThat(ids.historyContains(0)).isFalse();
    }

    @Test
    void shouldNotExposeInternalArraysWhenRead() {
        long[] bitmaps = {X};
        GenerationIds ids = GenerationIds.of(Y, bitmaps);
        bitmaps[0] = Z;
        ids.bitmaps()[0] = Z;
        ids.history()[0] = Z;

        assertThat(ids).isEqualTo(GenerationIds.of(Y, new long[] {X}));
        assertThat(ids.history(0)).isZero();
        assertThat(ids.toString())
                .isEqualTo("GenerationIds[current=0000000000002220, bitmaps={0=0000000000001110}, history=[]]");
    }

    @Test
    void shouldDrawDistinctCurrentsWhenRandomIsReal() {
        RandomGenerator random = new SplittableRandom(7);
        GenerationIds ids = GenerationIds.justCreated(1);
        for (int i = 0; i < 100; i++) {
            GenerationIds next = ids.newCurrent(random, i % 2 == 0, PeerSlots.none());
            assertThat(GenerationIds.mask(next.current()))
                    .isNotIn(0L, UUID_JUST_CREATED, GenerationIds.mask(ids.current()));
            ids = next;
        }
    }

    /** A generator that returns the given values in order, then fails. */
    private static RandomGenerator scripted(long... values) {
        Iterator<Long> it = Arrays.stream(values).boxed().toList().iterator();
        return it::next;
    }
}

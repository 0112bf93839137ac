package io.replicator.core.activitylog;

import io.replicator.core.testing.HeapVolume;
import io.replicator.core.testing.SeededTries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class ActivityLogTest {
    private static final long MIB4 = ActivityLog.EXTENT_BYTES;

    private final HeapVolume ring = new HeapVolume(32 * 1024);
    private final List<Long> evicted = new ArrayList<>();

    private ActivityLog open(int alExtents) throws IOException {
        return ActivityLog.open(ring, alExtents, ActivityLog.replay(ring), evicted::add);
    }

    @Test
    void shouldWriteTransactionOnlyWhenExtentIsCold() throws IOException {
        ActivityLog log = open(8);
        assertThat(log.tryBeginWrite(0, 4096)).isEqualTo(ActivityLog.OK);
        assertThat(log.transactionsWritten()).isEqualTo(1);
        log.endWrite(0, 4096);
        assertThat(log.tryBeginWrite(8192, 4096)).isEqualTo(ActivityLog.OK);
        assertThat(log.transactionsWritten()).isEqualTo(1);
        assertThat(ring.flushes()).isEqualTo(1);
    }

    @Test
    void shouldMakeEveryExtentOfASpanningWriteHotInOneTransaction() throws IOException {
        ActivityLog log = open(8);
        assertThat(log.tryBeginWrite(MIB4 - 512, 3 * MIB4)).isEqualTo(ActivityLog.OK);
        assertThat(log.activeExtents()).containsExactly(0, 1, 2, 3);
        assertThat(log.transactionsWritten()).isEqualTo(1);
    }

    @Test
    void shouldReplayActiveExtentsAfterReopen() throws IOException {
        ActivityLog log = open(8);
        for (long extent : new long[] {5, 9, 700, 5}) {
            log.tryBeginWrite(extent * MIB4, 4096);
        }
        AlReplay replay = ActivityLog.replay(ring);
        assertThat(replay.activeExtents()).containsExactly(5, 9, 700);
        assertThat(replay.alExtents()).isEqualTo(8);
        ActivityLog reopened = ActivityLog.open(ring, 8, replay, evicted::add);
        assertThat(reopened.activeExtents()).containsExactly(5, 9, 700);
        assertThat(reopened.tryBeginWrite(9 * MIB4, 1)).isEqualTo(ActivityLog.OK);
        assertThat(reopened.transactionsWritten()).isZero();
    }

    @Test
    void shouldEvictLeastRecentlyUsedUnpinnedExtentAndTellListenerFirst() throws IOException {
        ActivityLog log = open(3);
        for (long extent = 0; extent < 3; extent++) {
            log.tryBeginWrite(extent * MIB4, 4096);
            log.endWrite(extent * MIB4, 4096);
        }
        log.tryBeginWrite(0, 4096); // touch 0: now 1 is least recently used
        log.tryBeginWrite(10 * MIB4, 4096);
        assertThat(evicted).containsExactly(1L);
        assertThat(log.activeExtents()).containsExactly(0, 2, 10);
        assertThat(ActivityLog.replay(ring).activeExtents()).containsExactly(0, 2, 10);
    }

    @Test
    void shouldRefuseWithoutChangeWhenEverySlotHasWritesInFlight() throws IOException {
        ActivityLog log = open(2);
        log.tryBeginWrite(0, 4096);
        log.tryBeginWrite(MIB4, 4096);
        long before = log.transactionsWritten();
        assertThat(log.tryBeginWrite(7 * MIB4, 4096)).isEqualTo(ActivityLog.NO_FREE_SLOT);
        assertThat(log.transactionsWritten()).isEqualTo(before);
        assertThat(log.pinnedWrites()).isEqualTo(2);
        log.endWrite(0, 4096);
        assertThat(log.tryBeginWrite(7 * MIB4, 4096)).isEqualTo(ActivityLog.OK);
        assertThat(log.activeExtents()).containsExactly(1, 7);
    }

    @Test
    void shouldRejectEndWriteWithoutBegin() throws IOException {
        ActivityLog log = open(2);
        assertThatThrownBy(() -> log.endWrite(0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRejectAlExtentsTheRingCannotRebuild() {
        assertThat(AlTransactionDescriptor.maxAlExtents(32 * 1024)).isEqualTo(887 * 7);
        assertThatThrownBy(() -> open(887 * 7 + 1)).hasMessageContaining("al-extents");
    }

    @Test
    void shouldRebuildLargeTableFromRollingContext() throws IOException {
        int alExtents = 3000;
        ActivityLog log = open(alExtents);
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long extent = random.nextInt(10_000);
            log.tryBeginWrite(extent * MIB4, 4096);
            log.endWrite(extent * MIB4, 4096);
        }
        assertThat(ActivityLog.replay(ring).activeExtents()).containsExactly(log.activeExtents());
    }

    @Test
    void shouldFallBackToOlderStateWhenNewestTransactionIsTorn() throws IOException {
        ActivityLog log = open(4);
        for (long extent = 0; extent < 6; extent++) {
            log.tryBeginWrite(extent * MIB4, 4096);
            log.endWrite(extent * MIB4, 4096);
        }
        AlReplay before = ActivityLog.replay(ring);
        log.tryBeginWrite(50 * MIB4, 4096);
        long newest = ActivityLog.replay(ring).lastNumber();
        ring.corrupt((newest % 8) * 4096 + 40);
        AlReplay after = ActivityLog.replay(ring);
        assertThat(after.activeExtents()).containsExactly(before.activeExtents());
    }

    /** Up to 300 operations in [0, 60] (a multiple of 3 ends the oldest write in flight) on 1 to 12 slots. */
    record Workload(List<Integer> ops, int alExtents) {
    }

    @Test
    void shouldReplayExactlyTheLiveHotSet() {
        List<Integer> ascending = IntStream.rangeClosed(0, 60).boxed().toList();
        List<Integer> noEnds = IntStream.rangeClosed(0, 60).filter(op -> op % 3 != 0).boxed().toList();
        SeededTries.check(60, List.of(
                new Workload(List.of(), 1),
                new Workload(List.of(), 12),
                new Workload(ascending, 1),
                new Workload(ascending, 12),
                new Workload(noEnds, 1),
                new Workload(noEnds, 12),
                new Workload(Collections.nCopies(300, 60), 1),
                new Workload(Collections.nCopies(300, 1), 12)),
            random -> new Workload(ops(random), random.nextInt(1, 13)),
            ActivityLogTest::replayLiveHotSet);
    }

    private static List<Integer> ops(SplittableRandom random) {
        List<Integer> ops = new ArrayList<>();
        for (int i = random.nextInt(301); i > 0; i--) {
            ops.add(random.nextInt(61));
        }
        return ops;
    }

    private static void replayLiveHotSet(Workload workload) throws IOException {
        List<Integer> ops = workload.ops();
        int alExtents = workload.alExtents();
        HeapVolume freshRing = new HeapVolume(32 * 1024);
        ActivityLog log = ActivityLog.open(freshRing, alExtents, ActivityLog.replay(freshRing), e -> { });
        List<Integer> inFlight = new ArrayList<>();
        for (int op : ops) {
            if (op % 3 == 0 && !inFlight.isEmpty()) {
                int extent = inFlight.remove(0);
                log.endWrite(extent * MIB4, 512);
            } else if (log.tryBeginWrite(op * MIB4, 512) == ActivityLog.OK) {
                inFlight.add(op);
            }
            assertThat(log.activeCount()).isLessThanOrEqualTo(alExtents);
            for (int extent : inFlight) {
                assertThat(log.isActive(extent)).isTrue();
            }
        }
        assertThat(ActivityLog.replay(freshRing).activeExtents()).containsExactly(log.activeExtents());
    }
}

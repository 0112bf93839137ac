package io.replicator.core.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.generation.SyncDecision.BecomeSyncSource;
import io.replicator.core.generation.SyncDecision.BecomeSyncTarget;
import io.replicator.core.generation.SyncDecision.NoSync;
import io.replicator.core.generation.SyncDecision.SplitBrain;
import io.replicator.core.generation.SyncDecision.UnrelatedData;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Step 1 of the 8.4 handshake: rows of (comparison result, disk states, expected result for this node). */
@Timeout(10)
class DiskStateOverrideTest {
    private static final SyncDecision NO_SYNC = new NoSync(SyncRule.BOTH_OFF);
    private static final SyncDecision SOURCE_BITMAP =
            new BecomeSyncSource(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.BITMAP_SELF);
    private static final SyncDecision SOURCE_FULL =
            new BecomeSyncSource(BecomeSyncSource.Kind.SET_BITMAP, SyncRule.HISTORY_SELF);
    private static final SyncDecision TARGET_CLEAR =
            new BecomeSyncTarget(BecomeSyncTarget.Kind.CLEAR_BITMAP, SyncRule.BITMAP_PEER_OTHER);
    private static final SyncDecision AUTO_SPLIT = new SplitBrain(true, SyncRule.BITMAP_BOTH);
    private static final SyncDecision HARD_SPLIT = new SplitBrain(false, SyncRule.HISTORY_BOTH);
    private static final SyncDecision UNRELATED = new UnrelatedData(SyncRule.UNRELATED_DATA);

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void shouldLetTheInconsistentSideBeTargetWhenExactlyOneIsInconsistent(String row, SyncDecision compared,
            boolean selfInconsistent, boolean peerInconsistent, SyncDecision expected) {
        assertThat(DiskStateOverride.apply(compared, selfInconsistent, peerInconsistent)).as(row).isEqualTo(expected);
        assertThat(DiskStateOverride.apply(compared.mirror(), peerInconsistent, selfInconsistent))
                .as("mirror of " + row).isEqualTo(expected.mirror());
    }

    /**
     * An Inconsistent side that follows a Primary's generation: a comparison that makes it source, or a split brain,
     * stands.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("followerRows")
    void shouldKeepTheComparisonWhenTheInconsistentSideFollowsAPrimary(String row, SyncDecision compared,
            boolean selfInconsistent, boolean peerInconsistent, SyncDecision expected) {
        assertThat(DiskStateOverride.apply(compared, selfInconsistent, peerInconsistent, true)).as(row)
                .isEqualTo(expected);
        assertThat(DiskStateOverride.apply(compared.mirror(), peerInconsistent, selfInconsistent, true))
                .as("mirror of " + row).isEqualTo(expected.mirror());
    }

    static Stream<Arguments> followerRows() {
        return Stream.of(
                row("no-sync, I am inconsistent: bitmap target", NO_SYNC, true, false,
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BOTH_OFF)),
                row("source by bitmap, I am inconsistent: stands", SOURCE_BITMAP, true, false, SOURCE_BITMAP),
                row("full source, I am inconsistent: stands", SOURCE_FULL, true, false, SOURCE_FULL),
                row("target clear-bitmap, peer inconsistent: stands", TARGET_CLEAR, false, true, TARGET_CLEAR),
                row("auto-recoverable split brain: stands", AUTO_SPLIT, false, true, AUTO_SPLIT),
                row("split brain, disconnect: stands", HARD_SPLIT, true, false, HARD_SPLIT),
                row("target, I am inconsistent: already right", TARGET_CLEAR, true, false, TARGET_CLEAR));
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("both consistent: unchanged", SOURCE_FULL, false, false, SOURCE_FULL),
                row("both inconsistent: unchanged", NO_SYNC, true, true, NO_SYNC),
                row("no-sync, I am inconsistent: bitmap target", NO_SYNC, true, false,
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BOTH_OFF)),
                row("source by bitmap, I am inconsistent: reversed, bitmap", SOURCE_BITMAP, true, false,
                        target(BecomeSyncTarget.Kind.USE_BITMAP, SyncRule.BITMAP_SELF)),
                row("full source, I am inconsistent: reversed, full", SOURCE_FULL, true, false,
                        target(BecomeSyncTarget.Kind.SET_BITMAP, SyncRule.HISTORY_SELF)),
                row("source, peer inconsistent: already right", SOURCE_BITMAP, false, true, SOURCE_BITMAP),
                row("target clear-bitmap, I am inconsistent: already right", TARGET_CLEAR, true, false, TARGET_CLEAR),
                row("target clear-bitmap, peer inconsistent: bitmap source", TARGET_CLEAR, false, true,
                        source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.BITMAP_PEER_OTHER)),
                row("auto-recoverable split brain: bitmap resync", AUTO_SPLIT, false, true,
                        source(BecomeSyncSource.Kind.USE_BITMAP, SyncRule.BITMAP_BOTH)),
                row("split brain, disconnect: full resync", HARD_SPLIT, true, false,
                        target(BecomeSyncTarget.Kind.SET_BITMAP, SyncRule.HISTORY_BOTH)),
                row("unrelated data: never overridden", UNRELATED, true, false, UNRELATED));
    }

    private static Arguments row(String name, SyncDecision compared, boolean selfInconsistent,
            boolean peerInconsistent, SyncDecision expected) {
        return Arguments.of(name, compared, selfInconsistent, peerInconsistent, expected);
    }

    private static SyncDecision source(BecomeSyncSource.Kind kind, SyncRule rule) {
        return new BecomeSyncSource(kind, rule);
    }

    private static SyncDecision target(BecomeSyncTarget.Kind kind, SyncRule rule) {
        return new BecomeSyncTarget(kind, rule);
    }
}

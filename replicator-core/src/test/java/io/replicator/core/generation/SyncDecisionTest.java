package io.replicator.core.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.generation.SyncDecision.BecomeSyncSource;
import io.replicator.core.generation.SyncDecision.BecomeSyncTarget;
import io.replicator.core.generation.SyncDecision.NoSync;
import io.replicator.core.generation.SyncDecision.SplitBrain;
import io.replicator.core.generation.SyncDecision.UnrelatedData;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SyncDecisionTest {

    @Test
    void shouldUseDrbdStrategyNamesWhenNamed() {
        assertThat(new NoSync(SyncRule.BOTH_OFF).strategyName()).isEqualTo("no-sync");
        assertThat(Arrays.stream(BecomeSyncSource.Kind.values())
                .map(k -> new BecomeSyncSource(k, SyncRule.BITMAP_SELF).strategyName()))
                .containsExactly("source-use-bitmap", "source-set-bitmap", "source-copy-other-bitmap");
        assertThat(Arrays.stream(BecomeSyncTarget.Kind.values())
                .map(k -> new BecomeSyncTarget(k, SyncRule.BITMAP_PEER).strategyName()))
                .containsExactly("target-use-bitmap", "target-set-bitmap", "target-clear-bitmap");
        assertThat(new SplitBrain(true, SyncRule.BITMAP_BOTH).strategyName()).isEqualTo("split-brain-auto-recover");
        assertThat(new SplitBrain(false, SyncRule.HISTORY_BOTH).strategyName()).isEqualTo("split-brain-disconnect");
        assertThat(new UnrelatedData(SyncRule.UNRELATED_DATA).strategyName()).isEqualTo("unrelated-data");
    }

    @Test
    void shouldSwapDirectionAndKeepKindWhenMirrored() {
        for (BecomeSyncSource.Kind kind : BecomeSyncSource.Kind.values()) {
            SyncDecision source = new BecomeSyncSource(kind, SyncRule.BITMAP_SELF_OTHER);
            assertThat(source.mirror()).isInstanceOf(BecomeSyncTarget.class);
            assertThat(source.mirror().mirror()).isEqualTo(source);
            assertThat(source.mirror().needsFullSync()).isEqualTo(source.needsFullSync());
        }
        assertThat(new BecomeSyncSource(BecomeSyncSource.Kind.COPY_OTHER_BITMAP, SyncRule.BITMAP_SELF_OTHER).mirror())
                .isEqualTo(new BecomeSyncTarget(BecomeSyncTarget.Kind.CLEAR_BITMAP, SyncRule.BITMAP_PEER_OTHER));
        assertThat(new SplitBrain(false, SyncRule.HISTORY_BOTH).mirror())
                .isEqualTo(new SplitBrain(false, SyncRule.HISTORY_BOTH));
    }

    @Test
    void shouldMirrorEveryRuleAsAnInvolutionWhenMirrored() {
        for (SyncRule rule : SyncRule.values()) {
            assertThat(rule.mirror().mirror()).as(rule.name()).isEqualTo(rule);
        }
    }

    @Test
    void shouldCarryDrbdNamesAnd84NumbersWhenListed() {
        String table = Arrays.stream(SyncRule.values())
                .map(r -> r.drbdName() + "=" + (r.drbd84Rule().isPresent() ? r.drbd84Rule().getAsInt() : "-"))
                .collect(Collectors.joining(" "));

        assertThat(table).isEqualTo("just-created-both=10 just-created-self=20 just-created-peer=30 "
                + "sync-source-missed-finish=34 sync-target-peer-missed-finish=35 sync-source-peer-missed-finish=36 "
                + "sync-target-missed-finish=37 reconnected=- crashed-primary=41 lost-quorum=- both-off=40 marked-blocks=- "
                + "same-primary=- bitmap-peer=50 bitmap-peer-other=- sync-target-missed-start=51 bitmap-self=70 bitmap-self-other=- "
                + "sync-source-missed-start=71 history-peer=60 history-self=80 bitmap-both=90 history-both=100 "
                + "unrelated-data=-");
    }
}

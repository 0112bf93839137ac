package io.replicator.core.resource;

import io.replicator.core.resource.FencingRules.Verdict;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FencingRulesTest {
    @Test
    void fencePeerExitStatusesMeanWhatDrbdSays() {
        assertThat(FencingRules.verdict(3, false)).isEqualTo(Verdict.PEER_OUTDATED);
        assertThat(FencingRules.verdict(4, false)).isEqualTo(Verdict.PEER_OUTDATED);
        assertThat(FencingRules.verdict(7, false)).isEqualTo(Verdict.PEER_OUTDATED);
        assertThat(FencingRules.verdict(5, true)).as("unreachable, and this copy is UpToDate")
            .isEqualTo(Verdict.PEER_OUTDATED);
        assertThat(FencingRules.verdict(5, false)).as("unreachable, and this copy is not UpToDate")
            .isEqualTo(Verdict.FAILED);
        assertThat(FencingRules.verdict(6, true)).isEqualTo(Verdict.PEER_PRIMARY);
        for (int broken : new int[] {0, 1, 2, 8, 20, 127, HandlerInvoker.NO_EXIT_STATUS}) {
            assertThat(FencingRules.verdict(broken, true)).as("exit %d", broken).isEqualTo(Verdict.FAILED);
        }
    }

    @Test
    void onlyAPrimaryLosingAPeerWithGoodDataFencesIt() {
        List<DiskState> upToDate = List.of(DiskState.UP_TO_DATE);
        assertThat(FencingRules.fenceOnLoss("resource-only", Role.PRIMARY, upToDate)).isTrue();
        assertThat(FencingRules.fenceOnLoss("resource-and-stonith", Role.PRIMARY, List.of(DiskState.CONSISTENT)))
            .isTrue();
        assertThat(FencingRules.fenceOnLoss("dont-care", Role.PRIMARY, upToDate)).isFalse();
        assertThat(FencingRules.fenceOnLoss("resource-only", Role.SECONDARY, upToDate)).isFalse();
        assertThat(FencingRules.fenceOnLoss("resource-only", Role.PRIMARY, List.of(DiskState.OUTDATED)))
            .as("an Outdated peer cannot be promoted with newer data").isFalse();
        assertThat(FencingRules.fenceOnLoss("resource-only", Role.PRIMARY, List.of(DiskState.INCONSISTENT)))
            .isFalse();
        assertThat(FencingRules.fenceOnLoss("resource-only", Role.PRIMARY, List.of())).as("never replicated")
            .isFalse();
        assertThat(FencingRules.freezes("resource-and-stonith")).isTrue();
        assertThat(FencingRules.freezes("resource-only")).isFalse();
    }

    @Test
    void promotionFencesEveryPeerItDoesNotReachAndDoesNotKnowOutdated() {
        assertThat(FencingRules.fenceBeforePromotion("resource-only", false, false)).isTrue();
        assertThat(FencingRules.fenceBeforePromotion("resource-only", false, true)).isFalse();
        assertThat(FencingRules.fenceBeforePromotion("resource-only", true, false)).as("connected: it votes")
            .isFalse();
        assertThat(FencingRules.fenceBeforePromotion("dont-care", false, false)).isFalse();
    }
}

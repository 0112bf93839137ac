package io.replicator.core.state;

import static io.replicator.core.state.ReplicationState.AHEAD;
import static io.replicator.core.state.ReplicationState.BEHIND;
import static io.replicator.core.state.ReplicationState.ESTABLISHED;
import static io.replicator.core.state.ReplicationState.OFF;
import static io.replicator.core.state.ReplicationState.PAUSED_SYNC_S;
import static io.replicator.core.state.ReplicationState.PAUSED_SYNC_T;
import static io.replicator.core.state.ReplicationState.STARTING_SYNC_S;
import static io.replicator.core.state.ReplicationState.STARTING_SYNC_T;
import static io.replicator.core.state.ReplicationState.SYNC_SOURCE;
import static io.replicator.core.state.ReplicationState.SYNC_TARGET;
import static io.replicator.core.state.ReplicationState.VERIFY_S;
import static io.replicator.core.state.ReplicationState.VERIFY_T;
import static io.replicator.core.state.ReplicationState.WF_BIT_MAP_S;
import static io.replicator.core.state.ReplicationState.WF_BIT_MAP_T;
import static io.replicator.core.state.ReplicationState.WF_SYNC_UUID;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReplicationStateTest {

    @Test
    void shouldSpellAsDrbdWhenNamed() {
        assertThat(Arrays.stream(ReplicationState.values()).map(ReplicationState::drbdName)).containsExactly("Off",
            "Established", "StartingSyncS", "StartingSyncT", "WFBitMapS", "WFBitMapT", "WFSyncUUID", "SyncSource",
            "SyncTarget", "VerifyS", "VerifyT", "PausedSyncS", "PausedSyncT", "Ahead", "Behind");
        for (ReplicationState state : ReplicationState.values()) {
            assertThat(ReplicationState.parse(state.drbdName())).isSameAs(state);
        }
    }

    @Test
    void shouldFollowTheResyncPathWhenSource() {
        assertThat(ReplicationState.isValid(OFF, ESTABLISHED)).isTrue();
        assertThat(ReplicationState.isValid(ESTABLISHED, STARTING_SYNC_S)).isTrue();
        assertThat(ReplicationState.isValid(STARTING_SYNC_S, WF_BIT_MAP_S)).isTrue();
        assertThat(ReplicationState.isValid(WF_BIT_MAP_S, SYNC_SOURCE)).isTrue();
        assertThat(ReplicationState.isValid(SYNC_SOURCE, PAUSED_SYNC_S)).isTrue();
        assertThat(ReplicationState.isValid(PAUSED_SYNC_S, SYNC_SOURCE)).isTrue();
        assertThat(ReplicationState.isValid(SYNC_SOURCE, ESTABLISHED)).isTrue();
    }

    @Test
    void shouldFollowTheResyncPathWhenTarget() {
        assertThat(ReplicationState.isValid(OFF, WF_BIT_MAP_T)).isTrue();
        assertThat(ReplicationState.isValid(ESTABLISHED, STARTING_SYNC_T)).isTrue();
        assertThat(ReplicationState.isValid(STARTING_SYNC_T, WF_BIT_MAP_T)).isTrue();
        assertThat(ReplicationState.isValid(WF_BIT_MAP_T, WF_SYNC_UUID)).isTrue();
        assertThat(ReplicationState.isValid(WF_SYNC_UUID, SYNC_TARGET)).isTrue();
        assertThat(ReplicationState.isValid(SYNC_TARGET, PAUSED_SYNC_T)).isTrue();
        assertThat(ReplicationState.isValid(SYNC_TARGET, ESTABLISHED)).isTrue();
    }

    @Test
    void shouldEnterVerifyAndAheadOnlyWhenEstablished() {
        for (ReplicationState state : new ReplicationState[] {VERIFY_S, VERIFY_T, AHEAD, BEHIND}) {
            assertThat(state.predecessors()).containsExactly(ESTABLISHED);
        }
        assertThat(ReplicationState.isValid(AHEAD, SYNC_SOURCE)).isTrue();
        assertThat(ReplicationState.isValid(BEHIND, SYNC_TARGET)).isTrue();
    }

    @Test
    void shouldDropToOffWhenConnectionIsLostFromAnyState() {
        for (ReplicationState state : ReplicationState.values()) {
            assertThat(ReplicationState.isValid(state, OFF)).as("%s -> Off", state).isEqualTo(state != OFF);
        }
    }

    @Test
    void shouldRejectMixedDirectionsWhenSkippingSteps() {
        assertThat(ReplicationState.isValid(OFF, SYNC_SOURCE)).isFalse();
        assertThat(ReplicationState.isValid(WF_BIT_MAP_S, SYNC_TARGET)).isFalse();
        assertThat(ReplicationState.isValid(SYNC_SOURCE, SYNC_TARGET)).isFalse();
        assertThat(ReplicationState.isValid(PAUSED_SYNC_T, SYNC_SOURCE)).isFalse();
        assertThat(ReplicationState.isValid(VERIFY_S, SYNC_SOURCE)).isFalse();
        assertThat(ReplicationState.isValid(AHEAD, BEHIND)).isFalse();
        assertThat(ReplicationState.isValid(ESTABLISHED, ESTABLISHED)).isFalse();
    }

    @Test
    void shouldClassifyWhenSyncingVerifyingOrPaused() {
        assertThat(Arrays.stream(ReplicationState.values()).filter(ReplicationState::isSyncing))
            .containsExactly(SYNC_SOURCE, SYNC_TARGET, PAUSED_SYNC_S, PAUSED_SYNC_T);
        assertThat(Arrays.stream(ReplicationState.values()).filter(ReplicationState::isVerifying))
            .containsExactly(VERIFY_S, VERIFY_T);
        assertThat(Arrays.stream(ReplicationState.values()).filter(ReplicationState::isPaused))
            .containsExactly(PAUSED_SYNC_S, PAUSED_SYNC_T);
    }
}

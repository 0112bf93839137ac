package io.replicator.core.state;

import static io.replicator.core.state.ConnectionState.BROKEN_PIPE;
import static io.replicator.core.state.ConnectionState.CONNECTED;
import static io.replicator.core.state.ConnectionState.CONNECTING;
import static io.replicator.core.state.ConnectionState.DISCONNECTING;
import static io.replicator.core.state.ConnectionState.NETWORK_FAILURE;
import static io.replicator.core.state.ConnectionState.PROTOCOL_ERROR;
import static io.replicator.core.state.ConnectionState.STANDALONE;
import static io.replicator.core.state.ConnectionState.TEAR_DOWN;
import static io.replicator.core.state.ConnectionState.TIMEOUT;
import static io.replicator.core.state.ConnectionState.UNCONNECTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConnectionStateTest {

    @Test
    void shouldSpellAsDrbdWhenNamed() {
        assertThat(Arrays.stream(ConnectionState.values()).map(ConnectionState::drbdName)).containsExactly(
            "StandAlone", "Disconnecting", "Unconnected", "Timeout", "BrokenPipe", "NetworkFailure", "ProtocolError",
            "TearDown", "Connecting", "Connected");
        for (ConnectionState state : ConnectionState.values()) {
            assertThat(ConnectionState.parse(state.drbdName())).isSameAs(state);
        }
    }

    @Test
    void shouldAllowTheConnectPathWhenConnecting() {
        assertThat(ConnectionState.isValid(STANDALONE, UNCONNECTED)).isTrue();
        assertThat(ConnectionState.isValid(UNCONNECTED, CONNECTING)).isTrue();
        assertThat(ConnectionState.isValid(CONNECTING, CONNECTED)).isTrue();
        assertThat(CONNECTED.predecessors()).containsExactly(CONNECTING);
    }

    @Test
    void shouldLeaveConnectedOnlyThroughErrorsOrDisconnectWhenConnectionEnds() {
        for (ConnectionState after : new ConnectionState[] {NETWORK_FAILURE, BROKEN_PIPE, TIMEOUT, PROTOCOL_ERROR,
            DISCONNECTING, TEAR_DOWN}) {
            assertThat(ConnectionState.isValid(CONNECTED, after)).as("Connected -> %s", after).isTrue();
            assertThat(ConnectionState.isValid(after, UNCONNECTED) || ConnectionState.isValid(after, STANDALONE))
                .as("%s leads back", after).isTrue();
        }
        assertThat(ConnectionState.isValid(CONNECTED, UNCONNECTED)).isFalse();
        assertThat(ConnectionState.isValid(CONNECTED, STANDALONE)).isFalse();
    }

    @Test
    void shouldRejectShortcutsWhenSkippingSteps() {
        assertThat(ConnectionState.isValid(STANDALONE, CONNECTED)).isFalse();
        assertThat(ConnectionState.isValid(STANDALONE, CONNECTING)).isFalse();
        assertThat(ConnectionState.isValid(UNCONNECTED, CONNECTED)).isFalse();
        assertThat(ConnectionState.isValid(DISCONNECTING, UNCONNECTED)).isFalse();
        assertThat(ConnectionState.isValid(TEAR_DOWN, CONNECTED)).isFalse();
        assertThat(ConnectionState.isValid(CONNECTED, CONNECTED)).isFalse();
    }
}

package io.replicator.core.resource;

import io.replicator.core.resource.ConnectionLifecycle.Event;
import io.replicator.core.state.ConnectionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ConnectionLifecycleTest {
    private static final Set<ConnectionState> RESTING =
        EnumSet.of(ConnectionState.STANDALONE, ConnectionState.CONNECTING, ConnectionState.CONNECTED);

    @Test
    void everyPathFromARestingStateFollowsTheTableAndEndsInARestingState() {
        for (ConnectionState from : RESTING) {
            for (Event event : Event.values()) {
                ConnectionState to = ConnectionLifecycle.next(from, event);
                assertThat(RESTING).as("%s on %s", from, event).contains(to);
            }
        }
    }

    @Test
    void aLostSessionReconnectsAndADisconnectOrRefusalEndsStandAlone() {
        assertThat(ConnectionLifecycle.next(ConnectionState.CONNECTED, Event.SESSION_LOST))
            .isEqualTo(ConnectionState.CONNECTING);
        assertThat(ConnectionLifecycle.next(ConnectionState.CONNECTED, Event.DISCONNECT))
            .isEqualTo(ConnectionState.STANDALONE);
        assertThat(ConnectionLifecycle.next(ConnectionState.CONNECTING, Event.REFUSED))
            .isEqualTo(ConnectionState.STANDALONE);
        assertThat(ConnectionLifecycle.path(ConnectionState.STANDALONE, Event.CONNECT))
            .containsExactly(ConnectionState.UNCONNECTED, ConnectionState.CONNECTING);
    }

    @Test
    void aSessionThatReplacesAnotherPassesThroughTheLoss() {
        assertThat(ConnectionLifecycle.path(ConnectionState.CONNECTED, Event.SESSION_UP))
            .containsExactly(ConnectionState.NETWORK_FAILURE, ConnectionState.UNCONNECTED, ConnectionState.CONNECTING,
                ConnectionState.CONNECTED);
    }

    @Test
    void eventsThatChangeNothingLeaveTheState() {
        assertThat(ConnectionLifecycle.path(ConnectionState.STANDALONE, Event.SESSION_UP)).isEmpty();
        assertThat(ConnectionLifecycle.path(ConnectionState.STANDALONE, Event.SESSION_LOST)).isEmpty();
        assertThat(ConnectionLifecycle.path(ConnectionState.CONNECTING, Event.CONNECT)).isEmpty();
        assertThat(ConnectionLifecycle.path(ConnectionState.STANDALONE, Event.DISCONNECT)).isEmpty();
    }
}

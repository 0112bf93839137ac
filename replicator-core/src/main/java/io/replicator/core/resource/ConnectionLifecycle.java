package io.replicator.core.resource;

import io.replicator.core.state.ConnectionState;

import java.util.List;

import static io.replicator.core.state.ConnectionState.CONNECTED;
import static io.replicator.core.state.ConnectionState.CONNECTING;
import static io.replicator.core.state.ConnectionState.DISCONNECTING;
import static io.replicator.core.state.ConnectionState.NETWORK_FAILURE;
import static io.replicator.core.state.ConnectionState.PROTOCOL_ERROR;
import static io.replicator.core.state.ConnectionState.STANDALONE;
import static io.replicator.core.state.ConnectionState.UNCONNECTED;

/**
 * Decides how a peer's connection state moves on each thing that happens to the connection, as a path of states
 * that every step of which the {@link ConnectionState} table allows. Pure: a state and an event in, a path out.
 *
 * <p>A resource only rests in StandAlone, Connecting and Connected; the others are passed through on the way, as DRBD
 * passes through them: a lost session goes Connected → NetworkFailure → Unconnected → Connecting, {@code connect}
 * StandAlone → Unconnected → Connecting, a disconnect (by the administrator, or a handshake that drops the
 * connection for good) through Disconnecting to StandAlone, a link refused for good through ProtocolError.
 *
 * <p>A session that comes up while one is still current (its end not yet heard) first ends the old one: the path
 * runs through the loss before it arrives at Connected again, and the caller handles the old session's loss before
 * it installs the new one.
 */
final class ConnectionLifecycle {
    /** What happens to a connection. */
    enum Event {
        /** {@code connect}: start the link. */
        CONNECT,
        /** A session is up (both channels, authenticated). */
        SESSION_UP,
        /** The current session ended; the link reconnects. */
        SESSION_LOST,
        /** The link gave up for good (e.g. the peer is not who the config names). */
        REFUSED,
        /** {@code disconnect}, or this node dropped the connection for good after the handshake. */
        DISCONNECT
    }

    private ConnectionLifecycle() {
    }

    /** The states {@code from} passes through on {@code event}, ending in the new state; empty if nothing changes. */
    static List<ConnectionState> path(ConnectionState from, Event event) {
        return switch (event) {
            case CONNECT -> from == STANDALONE ? List.of(UNCONNECTED, CONNECTING) : List.of();
            case SESSION_UP -> switch (from) {
                case CONNECTING -> List.of(CONNECTED);
                case CONNECTED -> List.of(NETWORK_FAILURE, UNCONNECTED, CONNECTING, CONNECTED);
                default -> List.of();
            };
            case SESSION_LOST -> from == CONNECTED ? List.of(NETWORK_FAILURE, UNCONNECTED, CONNECTING) : List.of();
            case REFUSED -> from == CONNECTING || from == CONNECTED ? List.of(PROTOCOL_ERROR, STANDALONE) : List.of();
            case DISCONNECT -> from == STANDALONE ? List.of() : List.of(DISCONNECTING, STANDALONE);
        };
    }

    /**
     * The state after {@code event}, checked step by step against the table.
     *
     * @throws IllegalStateException if a step is not allowed (a bug in {@link #path})
     */
    static ConnectionState next(ConnectionState from, Event event) {
        ConnectionState at = from;
        for (ConnectionState step : path(from, event)) {
            if (!ConnectionState.isValid(at, step)) {
                throw new IllegalStateException("connection state " + at.drbdName() + " -> " + step.drbdName()
                    + " on " + event + " is not allowed");
            }
            at = step;
        }
        return at;
    }
}

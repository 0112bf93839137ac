package io.replicator.core.state;

import java.util.Set;

/**
 * The state of the connection to one peer (DRBD 9; drbd.md §8).
 *
 * <pre>
 *               connect                                  handshake done
 *   StandAlone ---------> Unconnected ---> Connecting ----------------> Connected
 *      ^                    ^    |            |  |                          |
 *      |                    |    |            |  +------------+             |
 *      |                    |    v            v               v             v
 *      +-- Disconnecting &lt;--+----+------------+     Timeout | BrokenPipe | NetworkFailure
 *      |     (disconnect)   |                       | ProtocolError | TearDown (peer said goodbye)
 *      |                    |                                   |
 *      |                    +-------- retry --------------------+
 *      +----------------------------- give up ------------------+
 * </pre>
 *
 * <p>Every state but StandAlone and Connected is transient: an error state falls back to Unconnected, which
 * reconnects, or to StandAlone when the error is final (unrelated data, a split brain nobody resolves).
 */
public enum ConnectionState {
    /** No network configuration is active; nothing is attempted until {@code connect}. */
    STANDALONE("StandAlone"),
    /** Leaving the connection on the way to StandAlone. */
    DISCONNECTING("Disconnecting"),
    /** Configured but not yet trying; the next step is Connecting. */
    UNCONNECTED("Unconnected"),
    /** The peer did not answer in time; transient. */
    TIMEOUT("Timeout"),
    /** The connection broke while sending; transient. */
    BROKEN_PIPE("BrokenPipe"),
    /** The network failed under the connection; transient. */
    NETWORK_FAILURE("NetworkFailure"),
    /** The peer sent something the protocol does not allow; transient. */
    PROTOCOL_ERROR("ProtocolError"),
    /** The peer is closing the connection; transient. */
    TEAR_DOWN("TearDown"),
    /** Trying to reach the peer and run the handshake. */
    CONNECTING("Connecting"),
    /** The handshake is done; the peer is replicating. */
    CONNECTED("Connected");

    private static final DrbdSpelling<ConnectionState> SPELLING =
        new DrbdSpelling<>("connection state", values(), ConnectionState::drbdName);
    private static final TransitionTable<ConnectionState> TRANSITIONS = TransitionTable.builder(ConnectionState.class)
        .allow(STANDALONE, DISCONNECTING, TIMEOUT, BROKEN_PIPE, NETWORK_FAILURE, PROTOCOL_ERROR, TEAR_DOWN)
        .allow(DISCONNECTING, UNCONNECTED, CONNECTING, CONNECTED)
        .allow(UNCONNECTED, STANDALONE, TIMEOUT, BROKEN_PIPE, NETWORK_FAILURE, PROTOCOL_ERROR, TEAR_DOWN)
        .allow(TIMEOUT, CONNECTING, CONNECTED)
        .allow(BROKEN_PIPE, CONNECTING, CONNECTED)
        .allow(NETWORK_FAILURE, CONNECTING, CONNECTED)
        .allow(PROTOCOL_ERROR, CONNECTING, CONNECTED)
        .allow(TEAR_DOWN, CONNECTED)
        .allow(CONNECTING, UNCONNECTED)
        .allow(CONNECTED, CONNECTING)
        .build();

    private final String drbdName;

    ConnectionState(String drbdName) {
        this.drbdName = drbdName;
    }

    /** The name DRBD prints, e.g. {@code StandAlone}. */
    public String drbdName() {
        return drbdName;
    }

    /** The connection state spelled {@code name} as DRBD prints it; throws {@link IllegalArgumentException} if none. */
    public static ConnectionState parse(String name) {
        return SPELLING.parse(name);
    }

    /** Whether a connection may change from {@code from} to {@code to}; staying in a state is not a transition. */
    public static boolean isValid(ConnectionState from, ConnectionState to) {
        return TRANSITIONS.isValid(from, to);
    }

    /** The states from which this one may be entered. */
    public Set<ConnectionState> predecessors() {
        return TRANSITIONS.predecessors(this);
    }
}

package io.replicator.core.state;

import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of this node's connection to one peer.
 *
 * @param peerNodeId the peer's node-id ({@code peer-node-id})
 * @param peerName the connection's name, by default the peer's host name ({@code conn-name})
 * @param connection the connection state
 * @param peerRole the peer's role; Unknown while not connected
 * @param congested whether the send buffer toward the peer is congested
 * @param peerDevices one per volume, by ascending volume number
 * @param paths the network paths to the peer, in configuration order
 * @param statistics the counters for {@code --statistics}
 */
public record ConnectionStatus(int peerNodeId, String peerName, ConnectionState connection, Role peerRole,
                               boolean congested, List<PeerDeviceStatus> peerDevices, List<PathStatus> paths,
                               ConnectionStatistics statistics) {
    /** Checks for nulls and copies the lists. */
    public ConnectionStatus {
        Objects.requireNonNull(peerName, "peerName");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(peerRole, "peerRole");
        peerDevices = List.copyOf(peerDevices);
        paths = List.copyOf(paths);
        Objects.requireNonNull(statistics, "statistics");
    }
}

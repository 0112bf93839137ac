package io.replicator.core.resource;

import io.replicator.core.config.ConnectionConfig;
import io.replicator.core.config.HostConfig;
import io.replicator.core.replication.PeerLinkHandle;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.Role;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One peer of a resource as its owner thread sees it: the link, the live sender while connected, what the peer
 * reported, and whether the connection replicates. {@code sender} and {@code replicating} are also read by the data
 * path and network threads, hence volatile.
 */
final class PeerRuntime {
    final HostConfig host;
    final ConnectionConfig connection;
    PeerLinkHandle link;
    /** The connection state; owner thread only. */
    ConnectionState state = ConnectionState.STANDALONE;
    volatile PeerSender sender;
    volatile boolean replicating;
    volatile boolean ahead;
    /**
     * While this peer is Primary: the node ids it replicates to, as its last {@code PEERS} message said (bit n = node
     * n), or -1 (everyone) until it says. Read by the receive threads of other peers ({@code markForAbsentPeers}).
     */
    volatile long replicatesTo = -1;
    /**
     * {@code connect --discard-my-data} toward this peer: sent in our reports, spent when a handshake with this peer
     * completes (DRBD's per-connection net option). Owner lane.
     */
    boolean discardMyData;
    /**
     * This node was forced Primary while this peer's connection was busy (a verify): the peer is owed the resync a
     * forced Primary gives its peers, once the verify ends ({@link ResyncTriggers#verifyEnded}). Owner lane.
     */
    boolean owedResyncAfterForce;
    /** The peer's latest report per volume number. */
    final Map<Integer, VolumeReport> reports = new HashMap<>();
    /** What this node reported to the peer when the session came up, per volume number: the handshake's basis. */
    final Map<Integer, VolumeReport> reported = new HashMap<>();
    /** Each volume's resync or verify with this peer, by volume number (set up when the connection replicates). */
    final Map<Integer, VolumeSync> syncs = new java.util.concurrent.ConcurrentHashMap<>();
    /** Why the connection last ended, for the log and status. */
    String lastReason = "";
    /** Bytes exchanged per volume number; fixed at construction, so any thread reads the map without a lock. */
    private final Map<Integer, TrafficCounters> traffic;

    PeerRuntime(HostConfig host, ConnectionConfig connection, List<Integer> volumes) {
        this.host = host;
        this.connection = connection;
        Map<Integer, TrafficCounters> counters = new HashMap<>();
        volumes.forEach(volume -> counters.put(volume, new TrafficCounters()));
        this.traffic = Map.copyOf(counters);
    }

    /** The counters of {@code volume}; a volume this resource does not have counts into a throw-away instance. */
    TrafficCounters traffic(int volume) {
        TrafficCounters counters = traffic.get(volume);
        return counters != null ? counters : new TrafficCounters();
    }

    int nodeId() {
        return host.nodeId();
    }

    Role peerRole() {
        return reports.values().stream().findFirst().map(VolumeReport::role).orElse(Role.UNKNOWN);
    }

    ReplicationState replication(int volume) {
        if (!replicating) {
            return ReplicationState.OFF;
        }
        VolumeSync sync = syncs.get(volume);
        if (sync != null && sync.state != ReplicationState.ESTABLISHED) {
            return sync.state;
        }
        return ahead ? ReplicationState.AHEAD : ReplicationState.ESTABLISHED;
    }

    /** The resync state of {@code volume} with this peer. */
    VolumeSync sync(int volume) {
        return syncs.computeIfAbsent(volume, VolumeSync::new);
    }

    void forgetSession() {
        syncs.values().forEach(VolumeSync::stop);
        syncs.clear();
        sender = null;
        replicating = false;
        ahead = false;
        replicatesTo = -1;
        reports.clear();
        reported.clear();
        owedResyncAfterForce = false;
    }
}

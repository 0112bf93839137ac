package io.replicator.core.resource;

import static io.replicator.core.resource.ResourceState.dirtyBlocks;

import io.replicator.core.config.HostConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.replication.PeerNetwork;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The connection lifecycle of each peer: {@code connect} starts its link, a lost session marks every unconfirmed write
 * out of sync for the peer and forgets the session, a refusal or {@code disconnect} goes StandAlone. Every state
 * change goes through {@link ConnectionLifecycle}, which holds it to the {@link ConnectionState} table. A Primary that
 * loses a replicating peer starts a new data generation ({@link Generations}): at once if writes were in flight, else
 * before its next write. Owner lane only.
 */
final class Connections {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    private final ResourceConfig config;
    private final HostConfig self;
    private final HandlerInvoker handlers;
    private final PeerNetwork network;
    private final Map<String, PeerRuntime> peers;
    private final TransferLog transferLog;
    private final List<VolumeRuntime> volumes;

    Connections(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.self = state.self;
        this.handlers = state.handlers;
        this.network = state.network;
        this.peers = state.peers;
        this.transferLog = state.transferLog;
        this.volumes = state.volumes;
    }

    Outcome doConnect(boolean discard) {
        List<String> problems = new ArrayList<>();
        for (PeerRuntime peer : peers.values()) {
            if (peer.state != ConnectionState.STANDALONE) {
                continue;
            }
            peer.discardMyData = discard;
            if (peer.link == null) {
                try {
                    peer.link = network.open(config.name(), peer.connection, self, peer.host,
                        new PeerEventHandler(state, peer));
                } catch (IllegalArgumentException failure) {
                    problems.add(peer.host.name() + ": " + failure.getMessage());
                    continue;
                }
            }
            move(peer, ConnectionLifecycle.Event.CONNECT);
            try {
                peer.link.start(discard);
            } catch (RuntimeException failure) {
                move(peer, ConnectionLifecycle.Event.DISCONNECT);
                problems.add(peer.host.name() + ": " + failure.getMessage());
            }
        }
        return problems.isEmpty() ? Outcome.done("") : Outcome.failed(config.name() + ": cannot connect to "
            + String.join("; ", problems));
    }

    /** Disconnects every peer gracefully and stops its link: StandAlone. */
    void stopLinks() {
        for (PeerRuntime peer : peers.values()) {
            if (peer.link != null) {
                peer.link.stop();
            }
            lostPeer(peer, "disconnected by the administrator");
            move(peer, ConnectionLifecycle.Event.DISCONNECT);
        }
    }

    /** Moves {@code peer}'s connection state on {@code event}, as {@link ConnectionLifecycle} decides. */
    void move(PeerRuntime peer, ConnectionLifecycle.Event event) {
        peer.state = ConnectionLifecycle.next(peer.state, event);
    }

    /** The connection to {@code peer} ended: unconfirmed writes become out of sync, the session is forgotten. */
    void lostPeer(PeerRuntime peer, String reason) {
        boolean wasConnected = peer.sender != null;
        boolean wasReplicating = peer.replicating;
        boolean wasSyncing = peer.syncs.values().stream().anyMatch(sync -> sync.state != ReplicationState.ESTABLISHED);
        boolean wasPrimary = wasReplicating && peer.peerRole() == Role.PRIMARY;
        // Before the loss completes the writes that waited only for this peer: if it takes quorum away, they are held.
        state.quorum.refresh(peer);
        transferLog.peerLost(peer.nodeId());
        state.fencing.peerLost(peer, wasReplicating);
        state.quorum.afterLoss(peer);
        state.vote.peerLost(peer);
        state.resync.abandonedBeforeItStarted(peer);
        peer.forgetSession();
        if (wasReplicating) {
            state.generations.markRecentPeerWrites(peer);
        }
        if (wasPrimary) {
            state.generations.reportToOthers(peer);
            state.generations.markRecentWritesOfLostPrimary(peer);
            state.generations.recordLastWriteOf(peer);
            reconcileMarkedBlocks(peer, "the loss of Primary " + peer.host.name());
        }
        if (wasSyncing) {
            // Keep the resync's progress: the next connect resumes from the bitmap.
            volumes.forEach(state.disk::persistBitmap);
            // A resync this node was target of ended with it: another peer with consistent data takes over.
            for (PeerRuntime other : peers.values()) {
                if (other != peer) {
                    volumes.forEach(volume -> state.resyncTriggers.resyncIfInconsistentHere(other, volume));
                }
            }
        }
        peer.lastReason = reason;
        if (wasConnected && !volumes.isEmpty()) {
            config.handler("disconnected").ifPresent(command ->
                handlers.invoke("disconnected", command, state.handlerEnv.environment(volumes.get(0), peer)));
        }
        if (wasReplicating) {
            state.generations.announceReplicatedPeers();
        }
        if (wasReplicating && state.role == Role.PRIMARY) {
            // A Primary that writes without the peer starts a new data generation first (drbd.md §4), so that the
            // peer can tell later that it missed writes. Like DRBD, only once it writes: a peer that comes back
            // before any write finds the same generation and nothing to resync. Writes that were in flight when
            // the link went are such writes already (the transfer log marked them for the peer): then the new
            // generation starts now, or an idle Primary would meet the peer again with equal ids over copies that
            // differ.
            // Without quorum the writes in flight are held, not done: no new generation until writes complete again.
            if (state.quorum.has() && volumes.stream().anyMatch(volume -> volume.disk()
                .map(d -> dirtyBlocks(d, peer.nodeId()) > 0).orElse(false))) {
                state.generations.startNewGeneration();
            } else {
                state.newGenerationBeforeWrite = true;
            }
        }
    }

    /**
     * After an event that may have moved this node's data away from that of peers it replicates with — it finished a
     * resync from {@code cause}, or lost {@code cause} as its Primary with writes it may have applied and the others
     * not, or the reverse —, the connection to every other replicating peer for which blocks are marked
     * handshakes again (a Primary among them is the source): equal generations with marked blocks resync them ({@code MARKED_BLOCKS}), different ones
     * decide as at any connect. Established over marked blocks, the two would differ while both report UpToDate.
     * (DRBD 9 settles this with a new handshake after a resync, "resync after unstable", and a reconciliation resync
     * after losing a Primary.)
     */
    void reconcileMarkedBlocks(PeerRuntime cause, String why) {
        for (PeerRuntime other : peers.values()) {
            PeerSender sender = other.sender;
            if (other == cause || sender == null || !other.replicating
                || other.syncs.values().stream().anyMatch(VolumeSync::resyncing)) {
                continue;
            }
            long marked = volumes.stream().mapToLong(volume -> volume.disk()
                .map(disk -> dirtyBlocks(disk, other.nodeId())).orElse(0L)).sum();
            if (marked > 0) {
                String reason = marked + " block(s) marked for " + other.host.name() + " after " + why
                    + ": handshaking again";
                LOG.log(System.Logger.Level.INFO, "{0}: {1}", config.name(), reason);
                sender.close(reason);
            }
        }
    }

    /** Drops the connection to {@code peer} for good: StandAlone, with {@code reason} logged. */
    void refuse(PeerRuntime peer, String reason) {
        LOG.log(System.Logger.Level.ERROR, "{0}: not replicating with {1}: {2}", config.name(), peer.host.name(),
            reason);
        if (peer.link != null) {
            peer.link.stop();
        }
        lostPeer(peer, reason);
        move(peer, ConnectionLifecycle.Event.DISCONNECT);
    }
}

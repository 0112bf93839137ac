package io.replicator.core.resource;

import io.replicator.core.config.ResourceConfig;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a resync starts, or a copy's standing changes, outside a connect-time handshake: a peer that drained its
 * congestion (Ahead), blocks marked while Established, a Primary that went Ahead of this node (Outdated here), an
 * Outdated peer of a Primary, a forced Primary's owed resync after a verify, and an Inconsistent copy whose source
 * was lost while another peer has consistent data. The resyncs themselves are {@link ResyncCoordinator}'s.
 *
 * <p>Threads: the owner lane only.
 */
final class ResyncTriggers {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    private final ResourceConfig config;
    private final Map<String, PeerRuntime> peers;
    private final TransferLog transferLog;
    private final List<VolumeRuntime> volumes;

    ResyncTriggers(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.peers = state.peers;
        this.transferLog = state.transferLog;
        this.volumes = state.volumes;
    }

    /**
     * The congestion toward an Ahead peer has drained: writes go to it again, and what it missed meanwhile (marked in
     * our bitmap) is resynced, Ahead → SyncSource → Established as in DRBD.
     */
    void leaveAhead(PeerRuntime peer) {
        PeerSender sender = peer.sender;
        if (!peer.ahead || !peer.replicating || sender == null
            || peer.syncs.values().stream().anyMatch(sync -> sync.state != ReplicationState.ESTABLISHED)) {
            return;
        }
        transferLog.resume(peer.nodeId());
        LOG.log(System.Logger.Level.INFO, "{0}: congestion toward {1} drained; resyncing what it missed",
            config.name(), peer.host.name());
        for (VolumeRuntime volume : volumes) {
            if (volume.disk().isPresent()) {
                sender.sendSync(SyncMessage.of(SyncMessage.Kind.BECOME_TARGET, volume.config().number(), 0, 0, 0));
                state.resync.startAsSource(peer, volume, false);
            }
        }
        state.notifyListeners();
    }

    /**
     * Resyncs what {@code local} has marked to every replicating peer that is not resyncing with this node already
     * (Established → SyncSource), as after Ahead; a peer that is resyncing picks the marks up when that resync runs.
     */
    void resyncMarkedBlocks(VolumeRuntime local) {
        int number = local.config().number();
        for (PeerRuntime peer : peers.values()) {
            PeerSender sender = peer.sender;
            if (sender != null && peer.replicating && !peer.ahead
                && peer.sync(number).state == ReplicationState.ESTABLISHED) {
                sender.sendSync(SyncMessage.of(SyncMessage.Kind.BECOME_TARGET, number, 0, 0, 0));
                state.resync.startAsSource(peer, local, false);
            }
        }
    }

    /**
     * The Primary went Ahead of this node (it sends out-of-sync notices instead of the data): this copy falls behind
     * and must not stay UpToDate — promoting it would serve stale data (H6). It is Outdated, on disk too, until the
     * resync that follows Ahead (or the next connection's) makes it UpToDate again.
     */
    void fellBehind(PeerRuntime peer, int number) {
        Optional<VolumeRuntime> local = state.volume(number);
        if (local.isEmpty() || local.get().disk().isEmpty() || local.get().state() != DiskState.UP_TO_DATE
            || state.role == Role.PRIMARY) {
            // A Primary's data is the one in use: a notice that crossed its promotion does not outdate it (the
            // ranges stay marked toward the sender, and the next handshake settles who holds what).
            return;
        }
        state.disk.writeMetadata(local.get(), superblock -> superblock.withFlag(MetadataFlag.OUTDATED, true)
            .withFlag(MetadataFlag.WAS_UP_TO_DATE, false));
        state.disk.persistBitmap(local.get());
        if (local.get().disk().isPresent()) {
            local.get().moveTo(DiskState.OUTDATED);
        }
        LOG.log(System.Logger.Level.WARNING, "{0}/{1}: {2} is ahead of this node: Outdated until resynced",
            config.name(), number, peer.host.name());
        state.generations.reportToPeers(false);
        state.notifyListeners();
    }

    /**
     * A verify with {@code peer} ended (on either side): a promotion during it left the peer's resync waiting — an
     * Outdated peer's ({@link #resyncIfOutdated}), or, if this node was forced Primary, the one a forced Primary gives
     * every peer (simulation seeds -6533624638889529580 and -436426331376136982).
     */
    void verifyEnded(PeerRuntime peer, VolumeRuntime local) {
        resyncIfOutdated(peer, local);
        resyncOwedAfterForce(peer, local);
    }

    /** The blocks marked between the two, to {@code peer}, if it is owed the resync of a forced Primary. */
    private void resyncOwedAfterForce(PeerRuntime peer, VolumeRuntime local) {
        int number = local.config().number();
        PeerSender sender = peer.sender;
        if (!peer.owedResyncAfterForce || sender == null || !peer.replicating || state.role != Role.PRIMARY
            || peer.sync(number).state != ReplicationState.ESTABLISHED) {
            return;
        }
        peer.owedResyncAfterForce = false;
        sender.sendSync(SyncMessage.of(SyncMessage.Kind.BECOME_TARGET, number, 0, 0, 0));
        state.resync.startAsSource(peer, local, false);
    }

    /**
     * The source of a resync {@code local} was target of is lost, and {@code local} is Inconsistent and resyncs from
     * nobody, while {@code peer}, replicating and Established with it, has consistent data: the connection handshakes
     * again, and the handshake makes this side the target (drbd.md §4, the disk-state override). Left Established,
     * the copy stayed Inconsistent for good (simulation seed 2675668649454855093). Not on a peer's report: a Primary
     * just forced up from the initial setup makes its Inconsistent peers sync target itself, and a handshake racing
     * that would only cost a reconnect.
     */
    void resyncIfInconsistentHere(PeerRuntime peer, VolumeRuntime local) {
        int number = local.config().number();
        VolumeReport report = peer.reports.get(number);
        PeerSender sender = peer.sender;
        if (local.state() != DiskState.INCONSISTENT || local.disk().isEmpty() || sender == null || !peer.replicating
            || report == null || !report.disk().isAtLeast(DiskState.OUTDATED)
            || peer.sync(number).state != ReplicationState.ESTABLISHED
            || state.handshake.syncingAsTargetWith(number, null).isPresent()) {
            return;
        }
        String reason = "volume " + number + " is Inconsistent here and resyncs from nobody, " + peer.host.name()
            + " has consistent data: handshaking again";
        LOG.log(System.Logger.Level.INFO, "{0}: {1}", config.name(), reason);
        sender.close(reason);
    }

    /**
     * While Primary: a replicating peer that reports {@code local} Outdated (it fell behind: H3, H6) and is not
     * resyncing is made sync target of what this node has marked for it, so that it becomes UpToDate again.
     */
    void resyncIfOutdated(PeerRuntime peer, VolumeRuntime local) {
        int number = local.config().number();
        VolumeReport report = peer.reports.get(number);
        PeerSender sender = peer.sender;
        if (state.role != Role.PRIMARY || sender == null || !peer.replicating || peer.ahead || report == null
            || report.disk() != DiskState.OUTDATED || local.state() != DiskState.UP_TO_DATE
            || peer.sync(number).state != ReplicationState.ESTABLISHED) {
            return;
        }
        sender.sendSync(SyncMessage.of(SyncMessage.Kind.BECOME_TARGET, number, 0, 0, 0));
        state.resync.startAsSource(peer, local, false);
    }
}

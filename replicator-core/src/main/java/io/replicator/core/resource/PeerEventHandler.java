package io.replicator.core.resource;

import static io.replicator.core.resource.ResourceState.slotOf;

import io.netty.buffer.ByteBuf;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.replication.PeerEvents;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.ReplicaTarget;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.resync.ResyncTargetJob;
import io.replicator.core.volume.Durability;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.DiskState;
import java.io.IOException;
import java.util.Optional;

/**
 * What one peer's link reports, handed to the parts that act on it: connected and lost sessions to
 * {@link Connections} (on the owner lane), reports to {@link ConnectHandshake}, bitmaps and resync data to
 * {@link ResyncCoordinator}, sync messages to {@link SyncMessages}, replicated writes to the local disk. Called on the
 * link's network and receive threads; what changes state is handed to the owner lane.
 */
final class PeerEventHandler implements PeerEvents {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    private final PeerRuntime peer;

    PeerEventHandler(ResourceState state, PeerRuntime peer) {
        this.state = state;
        this.peer = peer;
    }

    @Override
    public void connected(PeerSender sender) {
        state.scheduler.execute(() -> {
            if (peer.state == ConnectionState.STANDALONE) {
                sender.close("resource is StandAlone");
                return;
            }
            if (peer.sender != null) {
                // The end of the session this one replaces is still on its way (it names that session, so it is
                // ignored when it comes): handle it now, or the new session's writes would join the old one's.
                state.quorum.peerLeaving(peer);
                state.connections.lostPeer(peer, "replaced by a new session");
            }
            peer.sender = new CountingSender(sender, peer);
            state.connections.move(peer, ConnectionLifecycle.Event.SESSION_UP);
            LOG.log(System.Logger.Level.INFO, "{0}: connected to {1} ({2})", state.config.name(), peer.host.name(),
                sender.remoteAddress());
            for (VolumeRuntime volume : state.volumes) {
                state.generations.reportOf(volume, peer, false).ifPresent(report -> {
                    peer.reported.put(report.volume(), report);
                    sender.sendReport(report);
                });
            }
            state.notifyListeners();
        });
    }

    @Override
    public void report(VolumeReport report) {
        state.scheduler.call(() -> {
            state.handshake.onReport(peer, report);
            state.quorum.refresh();
            return null;
        });
        state.notifyListeners();
    }

    @Override
    public void bitmapChunk(int volume, long fromBit, ByteBuf rle, boolean last) {
        VolumeSync sync = peer.syncs.get(volume);
        Optional<AttachedDisk> disk = state.volume(volume).flatMap(VolumeRuntime::disk);
        if (sync == null || !sync.resyncing() || disk.isEmpty()) {
            throw new IllegalArgumentException("bitmap of volume " + volume + " while no resync starts");
        }
        int slot = slotOf(disk.get(), peer.nodeId());
        io.replicator.core.bitmap.BitmapRle.decodeOr(rle, fromBit, disk.get().bitmaps().bitmap(slot));
        if (last) {
            state.scheduler.call(() -> {
                state.resync.bitmapReceived(peer, volume);
                return null;
            });
        }
    }

    @Override
    public void sync(SyncMessage message) {
        state.syncMessages.onSync(peer, message);
    }

    @Override
    public void resyncData(int volume, long offset, long id, ByteBuf data) {
        VolumeSync sync = peer.syncs.get(volume);
        ResyncTargetJob job = sync == null ? null : sync.target;
        if (job == null) {
            throw new IllegalArgumentException("resync data for volume " + volume + " while not sync target");
        }
        int length = data.readableBytes();
        peer.traffic(volume).received(length);
        // Not markForAbsentPeers: the blocks it changes are marked for every other peer as they are written
        // (ResyncDataVolume), and as "recent writes" of the source they would be marked whole-extent again for each
        // peer whose session ends soon after (markRecentPeerWrites) — every reconciliation handshake then marking
        // the next pair, round a ring of three nodes for ever (simulation seed -75224617445968378).
        AttachedDisk pinned = null;
        try {
            pinned = pinPeerWrite(volume, offset, length);
            job.onData(offset, id, data);
        } catch (IOException failure) {
            state.scheduler.execute(() -> state.volume(volume).ifPresent(v -> state.disk.localIoError(v, failure)));
        } finally {
            unpin(pinned, offset, length);
        }
    }

    /**
     * Pins the range in the activity log while a write from this peer is applied, when there is a third node
     * ({@link Generations#pinsPeerWrites}), and returns the disk to unpin after the write; null when nothing was
     * pinned.
     */
    private AttachedDisk pinPeerWrite(int volume, long offset, long length) throws IOException {
        if (!state.generations.pinsPeerWrites()) {
            return null;
        }
        Optional<AttachedDisk> disk = state.volume(volume).flatMap(VolumeRuntime::disk);
        if (disk.isEmpty() || length <= 0 || offset + length > disk.get().data().sizeBytes()) {
            return null;
        }
        disk.get().pinExtents(offset, length);
        return disk.get();
    }

    private static void unpin(AttachedDisk pinned, long offset, long length) {
        if (pinned != null) {
            pinned.unpinExtents(offset, length);
        }
    }

    @Override
    public Optional<ReplicaTarget> replicaTarget() {
        return peer.replicating ? Optional.of(behindTarget) : Optional.empty();
    }

    /** Applies like {@link #replicaTarget}, and records what an Ahead peer did not send in its slot (Behind). */
    private final ReplicaTarget behindTarget = new ReplicaTarget() {
        @Override
        public void write(int volume, long offset, ByteBuf data) throws IOException {
            int length = data.readableBytes();
            peer.traffic(volume).received(length);
            apply(volume, offset, length, data);
        }

        @Override
        public void zero(int volume, long offset, long length) throws IOException {
            apply(volume, offset, length, null);
        }

        /**
         * Marks the range for absent peers, pins it in the activity log when they must remember it, and writes
         * {@code data} there (zeroes when null); a failure goes to on-io-error and back for the negative ack.
         */
        private void apply(int volume, long offset, long length, ByteBuf data) throws IOException {
            state.generations.markForAbsentPeers(peer.nodeId(), volume, offset, length);
            AttachedDisk pinned = null;
            try {
                pinned = pinPeerWrite(volume, offset, length);
                if (data != null) {
                    state.replicaTarget.write(volume, offset, data);
                } else {
                    state.replicaTarget.zero(volume, offset, length);
                }
            } catch (IOException failure) {
                throw failed(volume, offset, length, failure);
            } finally {
                unpin(pinned, offset, length);
            }
        }

        @Override
        public void flush(int volume) throws IOException {
            try {
                state.replicaTarget.flush(volume);
            } catch (IOException failure) {
                throw failed(volume, 0, 0, failure);
            }
        }

        @Override
        public void flushAll() throws IOException {
            try {
                state.replicaTarget.flushAll();
            } catch (IOException failure) {
                for (VolumeRuntime volume : state.volumes) {
                    failed(volume.config().number(), 0, 0, failure);
                }
                throw failure;
            }
        }

        /** Hands a failed replicated write or flush to the owner (on-io-error) and returns it for the ack. */
        private IOException failed(int volume, long offset, long length, IOException failure) {
            state.scheduler.execute(() -> state.disk.replicaWriteFailed(peer, volume, offset, length, failure));
            return failure;
        }

        @Override
        public void applied(long id) {
            // Only a Primary has a data path that sends writes (its role report follows them on the same stream),
            // so no role check here, on the receive thread's path of every write.
            state.lastWrite(new LastWrite(peer.nodeId(), id));
        }

        @Override
        public void markOutOfSync(int volume, long offset, long length) {
            state.volume(volume).flatMap(VolumeRuntime::disk).ifPresent(disk -> {
                int slot = slotOf(disk, peer.nodeId());
                if (slot >= 0 && offset + length <= disk.data().sizeBytes()) {
                    disk.markOutOfSync(slot, offset, length);
                }
            });
            if (state.volume(volume).map(v -> v.state() == DiskState.UP_TO_DATE).orElse(false)) {
                state.scheduler.execute(() -> state.resyncTriggers.fellBehind(peer, volume));
            }
        }
    };

    @Override
    public boolean diskFlushes() {
        return state.volumes.stream().allMatch(v -> v.config().diskFlushes());
    }

    @Override
    public boolean writesAreQuick() {
        return state.volumes.stream().noneMatch(v -> v.config().durability() == Durability.DSYNC);
    }

    @Override
    public void disconnected(PeerSender session, String reason) {
        if (isReplaced(session)) {
            return;
        }
        // At once, not after queued commands: writers waiting for this peer's acks must finish — unless the loss
        // takes quorum away, which the owner decides: until then, what the loss completes is held.
        state.quorum.peerLeaving(peer);
        state.scheduler.execute(() -> {
            if (isReplaced(session)) {
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "{0}: connection to {1} lost: {2}", state.config.name(),
                peer.host.name(), reason);
            state.connections.lostPeer(peer, reason);
            state.connections.move(peer, ConnectionLifecycle.Event.SESSION_LOST);
            state.notifyListeners();
        });
    }

    /**
     * Whether {@code session} ended after a newer session of this peer was installed: its loss was handled when the
     * newer one came ({@link #connected}), and handling it again would tear down the newer one.
     */
    private boolean isReplaced(PeerSender session) {
        PeerSender current = peer.sender;
        return session != null && current instanceof CountingSender counting && !counting.wraps(session);
    }

    @Override
    public void sessionEnding(int peerNodeId) {
        state.quorum.peerLeaving(peer);
    }

    @Override
    public void refused(String reason) {
        state.quorum.peerLeaving(peer);
        state.scheduler.execute(() -> {
            LOG.log(System.Logger.Level.ERROR, "{0}: connection to {1} refused, going StandAlone: {2}",
                state.config.name(), peer.host.name(), reason);
            state.connections.lostPeer(peer, reason);
            state.connections.move(peer, ConnectionLifecycle.Event.REFUSED);
            state.notifyListeners();
        });
    }

    @Override
    public TransferLog transferLog() {
        return state.transferLog;
    }
}

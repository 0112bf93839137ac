package io.replicator.core.resource;

import static io.replicator.core.resource.ResourceState.outOfSyncKiB;
import static io.replicator.core.resource.ResourceState.slotOf;
import static io.replicator.core.resource.ResyncCoordinator.digestOf;

import io.replicator.core.config.ResourceConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.resync.BlockDigest;
import io.replicator.core.resync.OnlineVerify;
import io.replicator.core.resync.ResyncSource;
import io.replicator.core.resync.ResyncTargetJob;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.Role;
import java.util.Optional;

/**
 * Routes the resync and verify messages a peer sends ({@link SyncMessage}) to the job they belong to: requests to the
 * source side, replies to the target's job, verify requests answered from the local disk, pause and resume flags,
 * and the peer's request to start a resync. Runs on the peer's receive thread; state changes are handed to the owner
 * lane.
 */
final class SyncMessages {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    private final ResourceConfig config;
    private final ResourceScheduler scheduler;

    SyncMessages(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.scheduler = state.scheduler;
    }

    /** A data-stream or control-stream sync message from {@code peer}. */
    void onSync(PeerRuntime peer, SyncMessage message) {
        if (message.kind() == SyncMessage.Kind.PEERS) {
            scheduler.execute(() -> state.generations.primaryReplicatesTo(peer, message.offset()));
            return;
        }
        switch (message.kind()) {
            case PROMOTE_REQUEST -> {
                scheduler.execute(() -> state.vote.onRequest(peer, message.id()));
                return;
            }
            case PROMOTE_REPLY -> {
                scheduler.execute(() -> state.vote.onReply(peer, message.id(), message.offset() == PromotionVote.YES,
                    PromotionVote.reasonOf(message)));
                return;
            }
            case PROMOTE_DONE -> {
                scheduler.execute(() -> state.vote.onDone(peer, message.id()));
                return;
            }
            case PROBE -> {
                scheduler.execute(() -> state.quorum.onProbe(peer, message.id()));
                return;
            }
            case PROBE_REPLY -> {
                scheduler.execute(() -> state.quorum.onProbeReply(peer, message.id()));
                return;
            }
            default -> {
            }
        }
        // A connection that needed no resync has no VolumeSync yet: a verify request must still find one.
        VolumeSync sync = peer.replicating && state.volume(message.volume()).isPresent()
            ? peer.sync(message.volume()) : peer.syncs.get(message.volume());
        Optional<VolumeRuntime> local = state.volume(message.volume());
        PeerSender sender = peer.sender;
        if (sync == null || local.isEmpty() || local.get().disk().isEmpty() || sender == null) {
            return;
        }
        switch (message.kind()) {
            case REQUEST, CSUM_REQUEST -> {
                ResyncSource side = sync.sourceSide;
                if (side == null) {
                    throw new IllegalArgumentException("resync request while not sync source");
                }
                if (peer.peerRole() != Role.PRIMARY && state.resync.throttled(sync, local.get(), side.progress())) {
                    state.resync.logThrottled(peer, sync);
                    // c-min-rate on the source, as DRBD: the application is busy on this disk and the resync runs
                    // above its minimum, so serving this request waits 100 ms (not for a Primary target, whose own
                    // writes wait for the resync).
                    scheduler.holdBack(ResyncCoordinator.SOURCE_THROTTLE_MS);
                }
                try {
                    side.onRequest(message);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            case WRITE_ACK -> {
                ResyncSource side = sync.sourceSide;
                if (side != null) {
                    side.onWriteAck(message);
                }
            }
            case NEG_WRITE_ACK -> LOG.log(System.Logger.Level.WARNING, "{0}/{1} with {2}: peer failed to write "
                + "resync data at {3}", config.name(), message.volume(), peer.host.name(), message.offset());
            case IN_SYNC, NEG_REPLY -> {
                ResyncTargetJob job = sync.target;
                if (job != null) {
                    job.onReply(message);
                }
            }
            case VERIFY_REQUEST -> {
                BlockDigest digest = digestOf(peer.connection.net().verifyAlg());
                if (digest == null) {
                    throw new IllegalArgumentException("verify request, but verify-alg is not set here");
                }
                if (sync.state == ReplicationState.ESTABLISHED) {
                    sync.state = ReplicationState.VERIFY_T;
                    state.notifyListeners();
                }
                sender.sendSync(OnlineVerify.answer(message, local.get().disk().get().data(), digest));
            }
            case VERIFY_REPLY -> {
                OnlineVerify verify = sync.verify;
                if (verify != null) {
                    scheduler.background(() -> verify.onReply(message));
                }
            }
            case VERIFY_OUT_OF_SYNC -> {
                AttachedDisk disk = local.get().disk().get();
                if (message.offset() + message.length() <= disk.data().sizeBytes()) {
                    int slot = slotOf(disk, peer.nodeId());
                    disk.markOutOfSync(slot, message.offset(), message.length());
                }
            }
            case VERIFY_DONE -> scheduler.execute(() -> {
                if (sync.state == ReplicationState.VERIFY_T) {
                    sync.state = ReplicationState.ESTABLISHED;
                    state.disk.persistBitmap(local.get());
                    LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: online verify done (as VerifyT); "
                        + "{3,number,#} KiB "
                        + "marked out of sync", config.name(), message.volume(), peer.host.name(),
                        outOfSyncKiB(local.get().disk().get(), peer.nodeId()));
                    state.resyncTriggers.verifyEnded(peer, local.get());
                    state.notifyListeners();
                }
            });
            case PAUSE, RESUME -> {
                boolean on = message.kind() == SyncMessage.Kind.PAUSE;
                sync.pausedByPeer = on;
                ResyncTargetJob job = sync.target;
                if (job != null) {
                    scheduler.background(() -> job.pause(ResyncTargetJob.PauseReason.PEER, on));
                }
                scheduler.execute(() -> {
                    state.resync.refreshPausedState(sync);
                    state.notifyListeners();
                });
            }
            case BECOME_SOURCE, BECOME_TARGET -> state.scheduler.call(() -> {
                if (sync.state == ReplicationState.ESTABLISHED && peer.replicating) {
                    VolumeReport report = peer.reports.get(message.volume());
                    Optional<PeerRuntime> busy = state.handshake.syncingAsTargetWith(message.volume(), peer)
                        .or(() -> state.handshake.syncingAsSourceWith(message.volume(), peer));
                    Optional<PeerRuntime> source = state.handshake.syncingAsTargetWith(message.volume(), peer);
                    if (message.kind() == SyncMessage.Kind.BECOME_SOURCE && source.isPresent()) {
                        // Our data is changing under a resync from another node: sent from here, the peer would get a
                        // mix of the old and the new. The next handshake, after that resync, decides again.
                        sender.close("volume " + message.volume() + " is resyncing from " + source.get().host.name()
                            + "; handshaking again afterwards");
                    } else if (message.kind() == SyncMessage.Kind.BECOME_SOURCE) {
                        state.resync.startAsSource(peer, local.get(), false);
                    } else if (state.role == Role.PRIMARY || state.generations.servesPrimaryOtherThan(peer)) {
                        // A Primary's data is in use, and so is a replica's of another Primary (whose writes keep
                        // coming): neither is overwritten from here. The next handshake decides again.
                        sender.close("volume " + message.volume() + " is in use by a Primary here; not becoming "
                            + "sync target of " + peer.host.name());
                    } else if (busy.isPresent()) {
                        // One source at a time, as at connect: two would each finish on their own and declare the
                        // data UpToDate while the other still copies. The peer started as source already; ending the
                        // session ends that, and the next handshake, after this resync, decides again.
                        // Likewise while this node is the source of another resync: its data must not change under it.
                        sender.close("volume " + message.volume() + " is resyncing with " + busy.get().host.name()
                            + "; handshaking again afterwards");
                    } else if (report != null) {
                        state.resync.startAsTarget(peer, local.get(), false, report);
                    }
                    state.notifyListeners();
                }
                return null;
            });
            default -> throw new IllegalArgumentException("unexpected " + message.kind());
        }
    }
}

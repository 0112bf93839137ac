package io.replicator.core.resource;

import static io.replicator.core.resource.ResourceState.slotOf;

import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.resync.ResyncTargetJob;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.Role;
import io.replicator.core.state.StateChangeRefusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's resync commands (drbd.md §7): {@code invalidate} (this node resyncs everything its bitmap marks, or
 * everything, from one peer — the Primary if one is connected), {@code invalidate-remote} (the connected peers
 * resync from this node), {@code pause-sync} and {@code resume-sync} (told to every replicating peer, whether a
 * resync runs or not). They check what the command needs and hand the resync itself to {@link ResyncCoordinator}.
 * Owner lane only.
 */
final class ResyncCommands {
    private final ResourceState state;
    private final ResourceScheduler scheduler;
    private final Map<String, PeerRuntime> peers;
    private final List<VolumeRuntime> volumes;

    ResyncCommands(ResourceState state) {
        this.state = state;
        this.scheduler = state.scheduler;
        this.peers = state.peers;
        this.volumes = state.volumes;
    }

    Outcome startResyncCommand(boolean asSource, boolean resetBitmap) {
        for (VolumeRuntime volume : volumes) {
            if (volume.disk().isEmpty()) {
                return Outcome.refused(StateChangeRefusal.IS_DISKLESS, (asSource ? "invalidate-remote" : "invalidate")
                    + ": volume " + volume.config().number() + " has no disk here; attach it first");
            }
            Optional<PeerRuntime> busy = state.handshake.syncingAsTargetWith(volume.config().number(), null);
            if (!asSource && busy.isPresent()) {
                // One source at a time: a second resync as target would finish on its own and declare the data
                // UpToDate while the first still copies.
                return Outcome.refused("invalidate: volume " + volume.config().number() + " is already resyncing "
                    + "from " + busy.get().host.name() + "; wait until it is done");
            }
        }
        String verb = asSource ? "invalidate-remote" : "invalidate";
        if (!asSource && state.role == Role.PRIMARY) {
            return Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, verb + " on a Primary would make its "
                + "data Inconsistent while it is in use; demote it first");
        }
        List<PeerRuntime> chosen = new ArrayList<>();
        for (PeerRuntime peer : peers.values()) {
            if (peer.replicating && peer.sender != null) {
                chosen.add(peer);
            }
        }
        if (!asSource && chosen.size() > 1) {
            // One source: the Primary if there is one — its writes keep coming, and a resync from another node
            // would overwrite them with older data.
            PeerRuntime source = chosen.stream().filter(peer -> peer.peerRole() == Role.PRIMARY).findFirst()
                .orElse(chosen.get(0));
            chosen = List.of(source);
        }
        if (chosen.isEmpty()) {
            return Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, verb + " needs a connected peer; connect "
                + "first");
        }
        for (PeerRuntime peer : chosen) {
            for (VolumeRuntime volume : volumes) {
                int number = volume.config().number();
                VolumeSync sync = peer.sync(number);
                if (sync.state != ReplicationState.ESTABLISHED) {
                    return Outcome.refused(verb + ": volume " + number + " is " + sync.state.drbdName() + " with "
                        + peer.host.name() + "; wait until it is Established");
                }
                VolumeReport report = peer.reports.get(number);
                if (asSource ? !volume.state().isAtLeast(DiskState.CONSISTENT)
                    : report == null || report.disk() != DiskState.UP_TO_DATE) {
                    return Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, verb + ": volume " + number
                        + (asSource ? " is " + volume.state().drbdName() + " here"
                            : ": peer " + peer.host.name() + " has no UpToDate data"));
                }
            }
        }
        for (PeerRuntime peer : chosen) {
            for (VolumeRuntime volume : volumes) {
                int number = volume.config().number();
                AttachedDisk disk = volume.disk().orElseThrow();
                if (resetBitmap) {
                    disk.bitmaps().bitmap(slotOf(disk, peer.nodeId())).setAll();
                }
                peer.sender.sendSync(SyncMessage.of(asSource ? SyncMessage.Kind.BECOME_TARGET
                    : SyncMessage.Kind.BECOME_SOURCE, number, 0, 0, 0));
                if (asSource) {
                    state.resync.startAsSource(peer, volume, false);
                } else {
                    state.resync.startAsTarget(peer, volume, false, peer.reports.get(number), true);
                }
            }
        }
        return Outcome.done("");
    }

    Outcome setUserPause(boolean on) {
        if (state.userPausedSync == on) {
            return Outcome.refused(on ? "pause-sync: the resync is already paused by the user"
                : "resume-sync: the resync is not paused by the user");
        }
        state.userPausedSync = on;
        for (PeerRuntime peer : peers.values()) {
            PeerSender sender = peer.sender;
            for (VolumeSync sync : peer.syncs.values()) {
                ResyncTargetJob job = sync.target;
                if (job != null) {
                    scheduler.background(() -> job.pause(ResyncTargetJob.PauseReason.USER, on));
                }
                // Told whether a resync runs or not: one that starts later (a bitmap already on its way, the
                // peer's invalidate) would otherwise keep the pause the peer last heard of.
                if (sender != null && peer.replicating) {
                    sender.sendSync(SyncMessage.of(on ? SyncMessage.Kind.PAUSE : SyncMessage.Kind.RESUME,
                        sync.volume, 0, 0, 0));
                }
                state.resync.refreshPausedState(sync);
            }
        }
        return Outcome.done("");
    }

}

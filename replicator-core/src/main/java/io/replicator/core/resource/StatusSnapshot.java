package io.replicator.core.resource;

import static io.replicator.core.resource.ResourceState.outOfSyncKiB;

import io.replicator.core.config.HostConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.resync.ResyncTargetJob;
import io.replicator.core.resync.SyncProgress;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ConnectionStatistics;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatistics;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.PathStatus;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What {@code status} and {@code events} show: the role, every volume's disk state and size, and per peer the
 * connection state, its role, paths, and per volume the replication state, the peer's disk, resync progress and the
 * out-of-sync and in-flight counters. Built on the owner lane, so it is one consistent view.
 */
final class StatusSnapshot {
    private final ResourceState state;
    private final ResourceConfig config;
    private final HostConfig self;
    private final ResourceScheduler scheduler;
    private final Map<String, PeerRuntime> peers;
    private final TransferLog transferLog;
    private final List<VolumeRuntime> volumes;

    StatusSnapshot(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.self = state.self;
        this.scheduler = state.scheduler;
        this.peers = state.peers;
        this.transferLog = state.transferLog;
        this.volumes = state.volumes;
    }

    ResourceStatus buildSnapshot() {
        List<DeviceStatus> devices = new ArrayList<>();
        boolean allUpToDate = !volumes.isEmpty();
        for (VolumeRuntime volume : volumes) {
            allUpToDate &= volume.state() == DiskState.UP_TO_DATE;
            long sizeKiB = volume.disk().map(disk -> disk.data().sizeBytes() / 1024).orElse(0L);
            devices.add(new DeviceStatus(volume.config().number(), volume.minor(), volume.state(),
                volume.config().diskless(), false, state.quorum.verdict(volume, null).quorum(), volume.disk().isPresent() ? volume.config().disk() : "none",
                new DeviceStatistics(sizeKiB, 0, 0, 0, 0, 0, 0, false)));
        }
        List<ConnectionStatus> connectionStatuses = new ArrayList<>();
        for (HostConfig peer : config.peersOf(self.name())) {
            PeerRuntime runtime = peers.get(peer.name());
            List<PeerDeviceStatus> peerDevices = new ArrayList<>();
            long rsInFlightBytes = 0;
            for (VolumeRuntime volume : volumes) {
                long outOfSyncKiB = volume.disk().map(disk -> outOfSyncKiB(disk, peer.nodeId())).orElse(0L);
                VolumeReport reported = runtime == null ? null : runtime.reports.get(volume.config().number());
                int number = volume.config().number();
                ReplicationState replication = runtime == null ? ReplicationState.OFF : runtime.replication(number);
                DiskState peerDisk = reported == null ? DiskState.DUNKNOWN : reported.disk();
                VolumeSync sync = runtime == null || replication == ReplicationState.OFF ? null
                    : runtime.syncs.get(number);
                Optional<io.replicator.core.resync.SyncProgress> progress = sync == null ? Optional.empty()
                    : sync.progress();
                long now = scheduler.nanoTime();
                boolean syncing = sync != null && sync.resyncing();
                boolean verifying = replication == ReplicationState.VERIFY_S
                    || replication == ReplicationState.VERIFY_T;
                if (syncing && peerDisk == DiskState.DUNKNOWN) {
                    peerDisk = sync.source ? DiskState.INCONSISTENT : DiskState.UP_TO_DATE;
                }
                PeerSender connected = runtime == null ? null : runtime.sender;
                ResyncTargetJob target = sync == null ? null : sync.target;
                if (target != null) {
                    rsInFlightBytes += target.inFlightBytes();
                }
                long pending = runtime == null ? 0 : transferLog.pending(runtime.nodeId(), number)
                    + (target == null ? 0 : target.inFlightRequests());
                TrafficCounters traffic = runtime == null ? new TrafficCounters() : runtime.traffic(number);
                peerDevices.add(new PeerDeviceStatus(number, replication, peerDisk, false,
                    progress.map(io.replicator.core.resync.SyncProgress::donePercent).orElse(OptionalDouble.empty()),
                    sync == null ? List.of() : sync.suspended(state.userPausedSync),
                    progress.map(p -> p.etaSeconds(now)).orElse(OptionalLong.empty()),
                    progress.map(p -> p.rateKiBPerSec(now)).orElse(OptionalLong.empty()),
                    new PeerDeviceStatistics(traffic.receivedBytes() / 1024, traffic.sentBytes() / 1024, outOfSyncKiB,
                        pending, connected == null ? 0 : connected.unacked(number), syncing, verifying)));
            }
            List<PathStatus> paths = new ArrayList<>();
            PeerSender sender = runtime == null ? null : runtime.sender;
            if (sender != null) {
                paths.add(new PathStatus("ipv4:" + sender.localAddress(), "ipv4:" + sender.remoteAddress(), true));
            } else if (self.address().isPresent() && peer.address().isPresent()) {
                paths.add(new PathStatus(pathAddress(self.address().get()), pathAddress(peer.address().get()), false));
            }
            Role peerRole = runtime == null || sender == null ? Role.UNKNOWN : runtime.peerRole();
            ConnectionStatistics statistics = runtime == null ? ConnectionStatistics.EMPTY
                : new ConnectionStatistics(transferLog.unackedBytes(runtime.nodeId()) / 1024, rsInFlightBytes / 1024,
                    sender == null ? OptionalLong.empty() : sender.pingRttNanos());
            connectionStatuses.add(new ConnectionStatus(peer.nodeId(), peer.name(),
                runtime == null ? ConnectionState.STANDALONE : runtime.state, peerRole, false, peerDevices,
                paths, statistics));
        }
        // DRBD's may_promote: promotion without --force would be allowed now (good data, no Primary peer, ...).
        boolean mayPromote = state.role == Role.SECONDARY && allUpToDate && PromotionRules.decide(state.role, false,
            state.roles.volumeViews(), state.roles.peerViews(), state.quorum.shortfall())
            instanceof PromotionRules.Promote;
        // DRBD scores promotion candidates; ours counts UpToDate volumes, so a node that can promote scores higher.
        int score = (int) volumes.stream().filter(v -> v.state() == DiskState.UP_TO_DATE).count() * 10000;
        // A Secondary without quorum holds no writes of its own: DRBD shows suspended:quorum on a Primary only.
        List<String> suspended = state.admission.suspendedBy().stream()
            .filter(cause -> state.role == Role.PRIMARY || !cause.equals("quorum")).toList();
        return new ResourceStatus(config.name(), self.nodeId(), state.role, suspended, false, mayPromote, score,
            devices,
            connectionStatuses);
    }

    /** {@code ipv4:IP:PORT}, as events2 writes path addresses. */
    static String pathAddress(String address) {
        String[] words = address.split("\\s+");
        String last = words[words.length - 1];
        return HandlerEnvironment.familyOf(address) + ":" + last;
    }
}

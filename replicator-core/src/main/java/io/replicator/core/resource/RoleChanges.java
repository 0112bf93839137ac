package io.replicator.core.resource;

import io.replicator.core.config.ResourceConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Promotion and demotion. {@link PromotionRules} decides whether a promotion may happen and whether it starts a new
 * data generation; this class carries it out: the superblock (UpToDate, PRIMARY_IND, a new generation when any peer is
 * away or the data was forced), the data path of every volume ({@link VolumeIo}), the report that tells the peers,
 * and the full sync toward connected peers with Inconsistent data after {@code primary --force}. Demotion stops
 * serving (waiting for requests in flight) before the role changes. Owner lane only.
 */
final class RoleChanges {
    private final ResourceState state;
    private final ResourceConfig config;
    private final RandomGenerator random;
    private final ResourceScheduler scheduler;
    private final Map<String, PeerRuntime> peers;
    private final TransferLog transferLog;
    private final List<VolumeRuntime> volumes;
    private final Map<Integer, VolumeIo> served;

    RoleChanges(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.random = state.random;
        this.scheduler = state.scheduler;
        this.peers = state.peers;
        this.transferLog = state.transferLog;
        this.volumes = state.volumes;
        this.served = state.served;
    }

    /** What {@link PromotionRules} decides of a promotion now. */
    PromotionRules.Decision decide(boolean force) {
        return PromotionRules.decide(state.role, force, volumeViews(), peerViews(), state.quorum.shortfall());
    }

    Outcome doPrimary(boolean force) {
        PromotionRules.Decision decision = decide(force);
        if (decision instanceof PromotionRules.AlreadyPrimary) {
            return Outcome.done("");
        }
        if (decision instanceof PromotionRules.Refused refused) {
            return refused.outcome();
        }
        PromotionRules.Promote promote = (PromotionRules.Promote) decision;
        List<VolumeRuntime> forced = volumes.stream()
            .filter(volume -> volume.disk().isPresent() && volume.state() != DiskState.UP_TO_DATE).toList();
        for (VolumeRuntime volume : volumes) {
            boolean wasUpToDate = volume.state() == DiskState.UP_TO_DATE;
            boolean newGeneration = promote.newGeneration(volume.state());
            Outcome written = state.disk.writeMetadata(volume, superblock -> {
                Superblock promoted = DiskEdge.upToDate(superblock).withFlag(MetadataFlag.PRIMARY_IND, true)
                    .withFlag(MetadataFlag.ACKED_AS_PRIMARY, false);
                if (newGeneration && superblock.has(MetadataFlag.FOLLOWS_PRIMARY) && superblock.followedFrom() != 0
                    && !wasUpToDate) {
                    promoted = promoted.withGenerationIds(superblock.generationIds().newCurrentFromFollowed(random,
                        true, superblock.followedFrom(), state.generations.unreachableSlots(superblock)));
                } else if (newGeneration) {
                    // Rotated into the slot of every unreachable peer (drbd.md §4, rotate_current_into_bitmap).
                    promoted = promoted.withGenerationIds(superblock.generationIds()
                        .newCurrent(random, true, state.generations.unreachableSlots(superblock)));
                }
                return promoted;
            });
            if (!written.ok()) {
                return written;
            }
            if (!wasUpToDate) {
                volume.moveTo(DiskState.UP_TO_DATE);
            }
        }
        state.ackedAsPrimary = false;
        state.handshake.spendDiscardMyData();
        if (state.lastWrite.node() == state.self.nodeId()) {
            // How far its data got before a machine crash: the writes it takes from now on go further.
            state.lastWrite(LastWrite.NONE);
        }
        state.role = Role.PRIMARY;
        for (VolumeRuntime volume : volumes) {
            volume.disk().ifPresent(disk -> served.put(volume.config().number(), newIo(volume, disk)));
        }
        state.generations.reportToPeers(false);
        state.generations.announceReplicatedPeers();
        // Connected peers that are Outdated (they fell behind the last Primary) get what they missed.
        for (PeerRuntime peer : peers.values()) {
            volumes.forEach(volume -> state.resyncTriggers.resyncIfOutdated(peer, volume));
        }
        // Connected peers with Inconsistent data get everything: the initial full sync (primary --force). A volume
        // forced up from Outdated or Consistent data is the data in use now: every connected peer gets the blocks
        // marked between the two (what this node missed, which the peer may hold), as DRBD resyncs the peers of a
        // forced Primary; left alone, a peer that had later writes would replicate on with equal ids over copies
        // that differ (simulation seed 2522204748066657643).
        for (PeerRuntime peer : peers.values()) {
            PeerSender sender = peer.sender;
            for (VolumeRuntime volume : volumes) {
                int number = volume.config().number();
                VolumeReport report = peer.reports.get(number);
                if (sender == null || !peer.replicating || report == null) {
                    continue;
                }
                if (peer.sync(number).state != ReplicationState.ESTABLISHED) {
                    // A verify runs on it: the resync waits for its end (a running resync is left as it is).
                    ReplicationState busy = peer.sync(number).state;
                    peer.owedResyncAfterForce |= forced.contains(volume)
                        && (busy == ReplicationState.VERIFY_S || busy == ReplicationState.VERIFY_T);
                    continue;
                }
                if (report.disk() == DiskState.INCONSISTENT) {
                    sender.sendSync(SyncMessage.of(SyncMessage.Kind.BECOME_TARGET, number, 0, 0, 0));
                    state.resync.startAsSource(peer, volume, true);
                } else if (forced.contains(volume)) {
                    sender.sendSync(SyncMessage.of(SyncMessage.Kind.BECOME_TARGET, number, 0, 0, 0));
                    state.resync.startAsSource(peer, volume, false);
                }
            }
        }
        return Outcome.done("");
    }

    /** What {@link PromotionRules} needs to know of each volume. */
    List<PromotionRules.VolumeView> volumeViews() {
        List<PromotionRules.VolumeView> views = new ArrayList<>();
        for (VolumeRuntime volume : volumes) {
            int number = volume.config().number();
            Optional<String> syncingFrom = state.handshake.syncingAsTargetWith(number, null)
                .map(peer -> peer.host.name());
            boolean crashed = volume.disk().map(disk -> disk.backing().metadata().current()
                .has(MetadataFlag.CRASHED_PRIMARY)).orElse(false);
            boolean suspect = volume.disk().map(disk -> disk.backing().metadata().current()
                .has(MetadataFlag.UNCLEAN_RESTART)).orElse(false);
            Set<String> untold = !suspect ? Set.of() : peers.values().stream()
                .filter(peer -> !state.toldUnclean.contains(peer.nodeId())).map(peer -> peer.host.name())
                .collect(Collectors.toUnmodifiableSet());
            views.add(new PromotionRules.VolumeView(number, volume.disk().isPresent(), volume.state(), syncingFrom,
                crashed, untold));
        }
        return views;
    }

    /** What {@link PromotionRules} needs to know of each peer. */
    List<PromotionRules.PeerView> peerViews() {
        return peers.values().stream().map(peer -> new PromotionRules.PeerView(peer.host.name(), peer.replicating,
            peer.peerRole(), peer.connection.net().allowTwoPrimaries(),
            peer.reports.values().stream().anyMatch(VolumeReport::servesPrimary))).toList();
    }

    VolumeIo newIo(VolumeRuntime volume, AttachedDisk disk) {
        int number = volume.config().number();
        VolumeIo.LocalIoErrors errors = new VolumeIo.LocalIoErrors() {
            @Override
            public void failed(VolumeIo io, IOException failure) {
                scheduler.execute(() -> {
                    if (served.get(number) == io) {
                        state.disk.localIoError(volume, failure);
                        state.notifyListeners();
                    }
                });
            }

            @Override
            public void writeFailed(VolumeIo io, long offset, long length, IOException failure) {
                scheduler.execute(() -> {
                    if (served.get(number) == io) {
                        state.disk.primaryWriteFailed(volume, offset, length, failure);
                        state.notifyListeners();
                    }
                });
            }
        };
        return new VolumeIo(config.name() + "/" + number, number, disk, transferLog, errors,
            state.generations::startGenerationIfPending, state.admission, state.generations::writeAcknowledged);
    }

    Outcome doSecondary() {
        if (state.role == Role.SECONDARY) {
            return Outcome.done("");
        }
        volumes.forEach(state.disk::stopServing);
        for (VolumeRuntime volume : volumes) {
            if (volume.disk().isPresent()) {
                Outcome written = state.disk.writeMetadata(volume, superblock -> superblock
                    .withFlag(MetadataFlag.PRIMARY_IND, false));
                if (!written.ok()) {
                    return written;
                }
            }
        }
        state.role = Role.SECONDARY;
        state.generations.reportToPeers(false);
        return Outcome.done("");
    }
}

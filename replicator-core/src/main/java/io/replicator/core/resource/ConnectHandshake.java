package io.replicator.core.resource;

import static io.replicator.core.resource.ResourceState.dirtyBlocks;
import static io.replicator.core.resource.ResourceState.slotOf;

import io.replicator.core.config.HostConfig;
import io.replicator.core.config.Protocol;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.generation.SyncDecision;
import io.replicator.core.generation.SyncInput;
import io.replicator.core.replication.PeerPolicy;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.generation.HandshakeDecider;
import io.replicator.core.generation.HandshakeOutcome;
import io.replicator.core.generation.HandshakeSide;
import io.replicator.core.generation.SplitBrainPolicies;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The connect-time handshake (drbd.md §4–§5): once a peer has reported every volume, each volume's sizes and roles
 * are checked, the generation ids compared and the split-brain policies applied ({@link HandshakeDecider}, logged as
 * {@code sync decision: ...}), and the connection starts replicating — with a resync as source or target where the
 * decision says so, one source at a time per volume. Reports that come later update the peer's view and adopt a
 * Primary's new generation. Both nodes decide from the same two reports, so they agree without another exchange.
 * Owner lane only.
 */
final class ConnectHandshake {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    private final ResourceConfig config;
    private final HostConfig self;
    private final Map<String, PeerRuntime> peers;
    private final TransferLog transferLog;
    private final List<VolumeRuntime> volumes;

    ConnectHandshake(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.self = state.self;
        this.peers = state.peers;
        this.transferLog = state.transferLog;
        this.volumes = state.volumes;
    }

    /** Whether the peer's reports show a generation that moved on from this node's current one. */
    private boolean movedPastUs(PeerRuntime peer) {
        for (VolumeRuntime local : volumes) {
            VolumeReport report = peer.reports.get(local.config().number());
            if (report == null || local.disk().isEmpty()) {
                continue;
            }
            long ours = local.disk().get().backing().metadata().current().generationIds().current();
            if (GenerationIds.mask(report.ids().current()) != GenerationIds.mask(ours)
                && report.ids().descendsFrom(ours)) {
                return true;
            }
        }
        return false;
    }

    /** Acts on a peer's report: the first ones decide whether the connection replicates, later ones update it. */
    void onReport(PeerRuntime peer, VolumeReport report) {
        PeerSender sender = peer.sender;
        if (sender == null) {
            return;
        }
        Optional<VolumeRuntime> volume = state.volume(report.volume());
        if (volume.isEmpty()) {
            state.connections.refuse(peer, "peer reported volume " + report.volume()
                + ", which is not configured here");
            return;
        }
        if (peer.replicating) {
            boolean wasPrimary = peer.peerRole() == Role.PRIMARY;
            peer.reports.put(report.volume(), report);
            if (wasPrimary != (report.role() == Role.PRIMARY) && state.role != Role.PRIMARY) {
                state.generations.reportToOthers(peer); // whom we replicate from changed: the others must know
            }
            if (report.role() != Role.PRIMARY) {
                peer.replicatesTo = -1;
            } else if (state.role == Role.PRIMARY && !peer.connection.net().allowTwoPrimaries()) {
                // Both promoted at once, each before hearing of the other (no cluster-wide commit of promotions):
                // their writes cross. The connection ends, each marks what the other did not confirm, and the
                // next handshake reports the split brain instead of replicating over copies that differ.
                state.connections.refuse(peer, "both nodes became Primary while connected and allow-two-primaries "
                    + "is off");
                return;
            } else if (state.generations.otherPrimary(peer).isPresent() && !peer.connection.net().allowTwoPrimaries()) {
                // Promoted while another Primary replicates here (each before hearing of the other): taking writes
                // from both would mix two histories. The first keeps this node; the second is dropped before its
                // first write (its report comes first on the data stream) and meets us again at a handshake.
                sender.close(secondPrimary(peer));
                return;
            }
            if (report.role() == Role.PRIMARY) {
                // Promoted while replicating here: its writes come from now on (see the end of the handshake).
                spendDiscardMyData();
            }
            if (report.role() == Role.PRIMARY && volume.get().state() == DiskState.INCONSISTENT
                && differsFromOurs(volume.get(), report)) {
                // The Primary started a new generation while this Inconsistent copy takes its writes.
                state.generations.followPrimary(volume.get(), report);
                state.generations.reportToPeers(false);
            }
            VolumeSync sync = peer.sync(report.volume());
            if (sync.resyncing()) {
                if (sync.source && report.disk() == DiskState.UP_TO_DATE) {
                    state.resync.finishAsSource(peer, volume.get(), sync);
                }
                return;
            }
            boolean newGeneration = GenerationIds.mask(report.ids().current()) != volume.get().disk()
                .map(d -> GenerationIds.mask(d.backing().metadata().current().generationIds().current())).orElse(0L);
            if (newGeneration && report.role() == Role.PRIMARY && !report.skipInitialSync()
                && volume.get().state() == DiskState.UP_TO_DATE && !followsOurGeneration(volume.get(), report)) {
                // The Primary moved on from a generation we do not hold (we took another Primary's writes meanwhile,
                // each before hearing of the other): adopting it would claim its data. Handshake again instead.
                String reason = "the new generation of Primary " + peer.host.name() + " does not follow ours: "
                    + "handshaking again";
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}", config.name(), reason);
                sender.close(reason);
                return;
            }
            if (report.skipInitialSync() || (newGeneration && report.role() == Role.PRIMARY
                && volume.get().state() == DiskState.UP_TO_DATE)) {
                // The Primary started a new generation while we replicate from it (--clear-bitmap, or after it
                // lost another peer): we hold the same data, so we carry the same generation.
                state.generations.adoptGeneration(volume.get(), report, peer.replicatesTo);
                state.generations.reportToPeers(false);
            }
            state.resyncTriggers.resyncIfOutdated(peer, volume.get());
            return;
        }
        peer.reports.put(report.volume(), report);
        if (peer.reports.size() < volumes.size()) {
            return;
        }
        if (state.role == Role.PRIMARY && !state.quorum.has() && config.options().forceSecondaryWhenOutdated()
            && movedPastUs(peer)) {
            // on-suspended-primary-outdated force-secondary: a partition with quorum went on without this frozen
            // Primary; it steps down (its held writes fail) and the handshake, redone as Secondary, resyncs it.
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} went on to a newer generation while this Primary had no "
                + "quorum: demoting (on-suspended-primary-outdated force-secondary)", config.name(), peer.host.name());
            state.roles.doSecondary();
        }
        if (changedSinceReported(peer)) {
            // Both sides must decide from the same two reports; this node was promoted, demoted or moved to
            // another generation after it sent its own, so the peer decides from a stale one. Handshake again.
            LOG.log(System.Logger.Level.INFO, "{0}: state changed during the handshake with {1}; handshaking again",
                config.name(), peer.host.name());
            sender.close("state changed during the handshake; handshaking again");
            return;
        }
        Map<VolumeRuntime, SyncDecision> decisions = new LinkedHashMap<>();
        for (VolumeRuntime local : volumes) {
            VolumeReport reported = peer.reports.get(local.config().number());
            if (reported.role() == Role.PRIMARY && state.generations.otherPrimary(peer).isPresent()
                && !peer.connection.net().allowTwoPrimaries()) {
                // Not for good: once one of the two is demoted, the two connect.
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}; connecting again later", config.name(),
                    secondPrimary(peer));
                sender.close(secondPrimary(peer));
                return;
            }
            if (reported.role() == Role.PRIMARY && reported.lostQuorumAsPrimary() && state.role == Role.PRIMARY
                && state.quorum.has() && !peer.connection.net().allowTwoPrimaries()) {
                // A frozen Primary (it lost quorum) meets this one, which has quorum: not for good either — it
                // demotes once it sees this generation (force-secondary) or by its operator, and then the two
                // connect. Refusing went StandAlone here for good (PromoterIT, an old Primary resumed from SIGSTOP).
                String reason = peer.host.name() + " is a Primary without quorum; connecting again once it is "
                    + "demoted";
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}", config.name(), reason);
                sender.close(reason);
                return;
            }
            Optional<String> problem = establishProblem(peer, local, reported);
            if (problem.isPresent()) {
                state.connections.refuse(peer, problem.get());
                return;
            }
            HandshakeOutcome outcome = handshake(peer, local, reported);
            if (outcome.action() == HandshakeOutcome.Action.RETRY_CONNECT) {
                LOG.log(System.Logger.Level.WARNING, "{0}: reconnecting to {1}: {2}", config.name(),
                    peer.host.name(), outcome.explanation());
                sender.close(outcome.explanation());
                return;
            }
            if (outcome.action() == HandshakeOutcome.Action.DISCONNECT) {
                state.connections.refuse(peer, "volume " + local.config().number() + ": " + outcome.explanation());
                return;
            }
            problem = decisionProblem(peer, local, outcome.decision());
            if (problem.isPresent()) {
                state.connections.refuse(peer, problem.get());
                return;
            }
            Optional<PeerRuntime> busy = syncingAsTargetWith(local.config().number(), peer);
            Optional<PeerRuntime> serving = syncingAsSourceWith(local.config().number(), peer);
            if (outcome.decision().isSyncTarget() && busy.isEmpty() && serving.isPresent()) {
                // Our data must not change under a resync we source: the target would end with a mix of the old
                // and the new. Come back once it is done (then the target gets the change in its turn).
                String reason = "volume " + local.config().number() + " is sync source for "
                    + serving.get().host.name() + "; connecting to " + peer.host.name() + " again afterwards";
                LOG.log(System.Logger.Level.INFO, "{0}: {1}", config.name(), reason);
                sender.close(reason);
                return;
            }
            if ((outcome.decision().isSyncTarget() || outcome.decision().isSyncSource()) && busy.isPresent()) {
                // One source at a time: two sources would each finish on their own and declare the data UpToDate
                // while the other still copies. Nor a source while our data changes under a resync from another
                // node: the target would get a mix of the old and the new (simulation seed -2955904287997108806).
                // Come back once this resync is done (then, most likely, no-sync).
                String reason = "volume " + local.config().number() + " is resyncing from " + busy.get().host.name()
                    + "; connecting to " + peer.host.name() + " again afterwards";
                LOG.log(System.Logger.Level.INFO, "{0}: {1}", config.name(), reason);
                sender.close(reason);
                return;
            }
            decisions.put(local, outcome.decision());
        }
        state.generations.forgetRecordedLastWrite();
        peer.replicating = true;
        transferLog.addPeer(peer.nodeId(), PeerPolicy.of(peer.connection.net()));
        if (peers.values().stream().allMatch(p -> p.replicating)) {
            state.newGenerationBeforeWrite = false;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: replicating with {1} (protocol {2})", config.name(),
            peer.host.name(), peer.connection.net().protocol());
        if (peer.peerRole() == Role.PRIMARY && state.role != Role.PRIMARY) {
            state.generations.reportToOthers(peer);
        }
        decisions.forEach((local, decision) -> {
            if (decision.isSyncSource()) {
                state.resync.startAsSource(peer, local, decision.needsFullSync());
            } else if (decision.isSyncTarget()) {
                state.resync.startAsTarget(peer, local, decision.needsFullSync(),
                    peer.reports.get(local.config().number()));
            } else {
                state.generations.clearCrashedPrimary(local);
                state.generations.releaseBitmapIdOfSameGeneration(peer, local);
                // An Outdated peer of the same generation connecting to the Primary: nothing marked sends it
                // anywhere, yet it knows it missed writes — the Primary resyncs it as it does an Outdated peer it
                // meets at promotion (simulation seed 504046324667242487: Outdated for good, beside its Primary).
                state.resyncTriggers.resyncIfOutdated(peer, local);
            }
        });
        if (decisions.values().stream().noneMatch(SyncDecision::isSyncSource)) {
            // As a sync source, the peer counts as told only once the resync is done (finishAsSource): a session
            // that ends before would leave it holding what it had, and the next handshake must still say so.
            toldUnclean(peer);
        }
        if (peer.discardMyData) {
            // --discard-my-data toward this peer is spent once a handshake with it completes, as DRBD clears it once
            // connected: applied again at a later reconnect, after this node wrote as Primary, it would discard a
            // copy nobody asked to discard. Toward the other peers it stays until each of them connects — unless
            // this handshake replaced this node's data: what it holds from now on is the peer's, and the writes it
            // takes next are acknowledged writes, neither of which the operator asked to discard (simulation seed
            // 613457772065730901: a later handshake with a third node discarded a Primary's write acknowledged
            // here after the first).
            peer.discardMyData = false;
            LOG.log(System.Logger.Level.INFO, "{0}: --discard-my-data used with {1}", config.name(),
                peer.host.name());
            if (decisions.values().stream().anyMatch(SyncDecision::isSyncTarget)) {
                peers.values().forEach(other -> other.discardMyData = false);
            }
        }
        if (peer.peerRole() == Role.PRIMARY || state.role == Role.PRIMARY) {
            // Replicating with a Primary, this node takes acknowledged writes from now on, which nobody asked to
            // discard: --discard-my-data pending toward other peers is spent (simulation seed -5119346238508447581,
            // three nodes: used toward one peer, it reverted the Primary's writes here toward another much later).
            spendDiscardMyData();
        }
        state.generations.announceReplicatedPeers();
    }

    /** {@code --discard-my-data} is forgotten toward every peer: what this node holds from now on is to be kept. */
    void spendDiscardMyData() {
        if (peers.values().stream().anyMatch(other -> other.discardMyData)) {
            LOG.log(System.Logger.Level.INFO, "{0}: --discard-my-data no longer applies: this node holds "
                + "acknowledged writes", config.name());
            peers.values().forEach(other -> other.discardMyData = false);
        }
    }

    /** Whether this node's role, disk state or generation changed since it reported them to {@code peer}. */
    private boolean changedSinceReported(PeerRuntime peer) {
        for (VolumeRuntime local : volumes) {
            VolumeReport sent = peer.reported.get(local.config().number());
            Optional<VolumeReport> now = state.generations.reportOf(local, peer, false);
            if (sent == null || now.isEmpty()) {
                continue;
            }
            // Every id, not only the current one: a bitmap id set since (marks for an absent peer, say) would make
            // the two sides apply different rules — each the source of the other, for good (simulation seed
            // -1071766392901304359).
            if (sent.role() != now.get().role() || sent.disk() != now.get().disk()
                || !sent.ids().sameIds(now.get().ids())) {
                return true;
            }
        }
        return false;
    }

    /** Why {@code local} cannot replicate with the peer's {@code report} at all, if it cannot. */
    Optional<String> establishProblem(PeerRuntime peer, VolumeRuntime local, VolumeReport report) {
        int number = local.config().number();
        if (report == null) {
            return Optional.of("peer did not report volume " + number);
        }
        Optional<AttachedDisk> disk = local.disk();
        if (disk.isEmpty()) {
            return Optional.of("volume " + number + " has no disk here (diskless peers are not supported yet)");
        }
        if (report.dataBytes() != disk.get().data().sizeBytes()) {
            return Optional.of("volume " + number + ": data sizes differ (here " + disk.get().data().sizeBytes()
                + " bytes, peer " + report.dataBytes() + " bytes)");
        }
        if (state.role == Role.PRIMARY && report.role() == Role.PRIMARY && !peer.connection.net().allowTwoPrimaries()) {
            return Optional.of("both nodes are Primary and allow-two-primaries is off");
        }

        return Optional.empty();
    }

    /**
     * Whether {@code side}, a Secondary, holds writes a Primary other than node {@code other} completed: it last
     * applied writes of a third node, or it completed writes itself as Primary since its last promotion and was
     * demoted.
     */
    private static boolean heldForAnotherPrimary(HandshakeSide side, int other) {
        return !side.primary() && ((side.lastWrite().node() >= 0 && side.lastWrite().node() != other)
            || side.ackedAsPrimary());
    }

    /** Whether the peer's current generation is not ours. */
    private static boolean differsFromOurs(VolumeRuntime local, VolumeReport report) {
        return local.disk().map(d -> GenerationIds.mask(report.ids().current()) != GenerationIds.mask(
            d.backing().metadata().current().generationIds().current())).orElse(false);
    }

    /** Whether the generation a Primary just started follows ours ({@link GenerationIds#movedOnFrom}). */
    private static boolean followsOurGeneration(VolumeRuntime local, VolumeReport report) {
        return local.disk().map(d -> report.ids().movedOnFrom(d.backing().metadata().current().generationIds()
            .current())).orElse(false);
    }

    private String secondPrimary(PeerRuntime peer) {
        String other = state.generations.otherPrimary(peer).map(p -> p.host.name()).orElse("?");
        return peer.host.name() + " is Primary while " + other + " is Primary and replicates here, and "
            + "allow-two-primaries is off";
    }

    /**
     * The connect-time handshake for {@code local} (drbd.md §4–§5): the id comparison, the disk-state override, the
     * split-brain policies, {@code --discard-my-data} reversing a plain resync ("reverting to older data") and
     * rr-conflict ({@link HandshakeDecider}). Both nodes compute it from the same two reports, so they agree.
     * Handlers the outcome names run here; the decision is logged as {@code sync decision: ...}.
     */
    HandshakeOutcome handshake(PeerRuntime peer, VolumeRuntime local, VolumeReport report) {
        AttachedDisk disk = local.disk().orElseThrow();
        Superblock superblock = disk.backing().metadata().current();
        int slot = slotOf(disk, peer.nodeId());
        // This side as the peer sees it: the report we sent (changedSinceReported handshakes again if our role, disk
        // or generation moved since), so both nodes decide from the same two sides.
        VolumeReport sent = peer.reported.get(local.config().number());
        SyncInput selfInput = new SyncInput(superblock.generationIds(), slot, state.role == Role.PRIMARY,
            superblock.has(MetadataFlag.CRASHED_PRIMARY), false,
            sent != null ? sent.lostQuorumAsPrimary() : superblock.has(MetadataFlag.PRIMARY_LOST_QUORUM),
            self.nodeId() < peer.nodeId());
        SyncInput peerInput = new SyncInput(report.ids(), report.peerSlot(), report.role() == Role.PRIMARY,
            report.crashedPrimary(), false, report.lostQuorumAsPrimary(), peer.nodeId() < self.nodeId());
        HandshakeSide selfSide = new HandshakeSide(selfInput, local.state(),
            sent != null ? sent.dirtyBlocks() : dirtyBlocks(disk, peer.nodeId()),
            sent != null ? sent.discardMyData() : peer.discardMyData,
            sent != null ? sent.restartedUnclean() : superblock.has(MetadataFlag.UNCLEAN_RESTART)
                && !state.toldUnclean.contains(peer.nodeId()),
            sent != null ? sent.servesPrimary() : state.generations.servesPrimaryOtherThan(peer),
            sent != null ? sent.lastWrite() : state.lastWrite,
            sent != null ? sent.ackedAsPrimary() : superblock.has(MetadataFlag.ACKED_AS_PRIMARY),
            sent != null ? sent.followsPrimary() : superblock.has(MetadataFlag.FOLLOWS_PRIMARY)
                && local.state() == DiskState.INCONSISTENT, false);
        HandshakeSide peerSide = new HandshakeSide(peerInput, report.disk(), report.dirtyBlocks(),
            report.discardMyData(), report.restartedUnclean(), report.servesPrimary(), report.lastWrite(),
            report.ackedAsPrimary(), report.followsPrimary(), false);
        if (state.quorum.enabled()) {
            selfSide = selfSide.withHeldForAnotherPrimary(heldForAnotherPrimary(selfSide, peer.nodeId()));
            peerSide = peerSide.withHeldForAnotherPrimary(heldForAnotherPrimary(peerSide, self.nodeId()));
        }
        HandshakeOutcome outcome = HandshakeDecider.decide(selfSide, peerSide,
            SplitBrainPolicies.of(peer.connection.net(), self.name()),
            peer.connection.net().protocol() == Protocol.C);
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: {3}", config.name(), local.config().number(),
            peer.host.name(), outcome.explanation());
        for (HandshakeOutcome.Handler handler : outcome.handlers()) {
            if (handler == HandshakeOutcome.Handler.DEMOTE_ELSE_PRI_LOST_AFTER_SB) {
                if (!state.roles.doSecondary().ok()) {
                    state.handlerEnv.runHandler("pri-lost-after-sb", local);
                }
            } else {
                state.handlerEnv.runHandler(handler.handlerName(), local);
            }
        }
        return outcome;
    }

    /** Why the decision cannot be carried out, if it cannot (unrelated data, split brain, a Primary as target). */
    Optional<String> decisionProblem(PeerRuntime peer, VolumeRuntime local, SyncDecision decision) {
        int number = local.config().number();
        if (decision instanceof SyncDecision.UnrelatedData) {
            VolumeReport report = peer.reports.get(number);
            String ours = local.disk().map(d -> d.backing().metadata().current().generationIds().toString())
                .orElse("none");
            return Optional.of("volume " + number + ": unrelated data, aborting (" + decision.logLine() + "; ours "
                + ours + ", the peer's " + (report == null ? "none" : report.ids()) + ")");
        }
        if (decision instanceof SyncDecision.SplitBrain) {
            return Optional.of("volume " + number + ": split brain detected, dropping the connection ("
                + decision.logLine() + "); recover with 'connect --discard-my-data' on the node whose changes "
                + "are to be discarded");
        }
        return Optional.empty();
    }

    /** The other peer this node is sync target of for {@code volume}, if any. */
    /** A peer other than {@code except} this node is sync source of, for {@code volume}. */
    Optional<PeerRuntime> syncingAsSourceWith(int volume, PeerRuntime except) {
        return resyncingWith(volume, except, true);
    }

    /** A peer other than {@code except} this node is sync target of, for {@code volume}. */
    Optional<PeerRuntime> syncingAsTargetWith(int volume, PeerRuntime except) {
        return resyncingWith(volume, except, false);
    }

    private Optional<PeerRuntime> resyncingWith(int volume, PeerRuntime except, boolean asSource) {
        for (PeerRuntime other : peers.values()) {
            VolumeSync sync = other == except ? null : other.syncs.get(volume);
            if (sync != null && sync.resyncing() && sync.source == asSource) {
                return Optional.of(other);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code peer} was told of this node's unclean restart (or of suspect data resynced from one), and its copy now
     * reflects that (no resync was needed, or one ran); once every peer was, the restart no longer needs telling. Told
     * only the first peer that connects, a third node holding writes this node lost would meet a copy of this node's
     * data as an equal.
     */
    void toldUnclean(PeerRuntime peer) {
        boolean news = state.toldUnclean.add(peer.nodeId());
        boolean everyone = peers.values().stream().allMatch(p -> state.toldUnclean.contains(p.nodeId()));
        for (VolumeRuntime local : state.volumes) {
            // Kept on disk: a crash of the process must not make the restart news again for a peer told already
            // (simulation seed -6331408367274708443: the peer holding the crashed Primary's last write looked
            // suspect itself and was overwritten).
            local.disk().filter(d -> d.backing().metadata().current().has(MetadataFlag.UNCLEAN_RESTART)
                && (news || everyone)).ifPresent(d -> state.disk.writeMetadata(local, superblock -> everyone
                    ? superblock.withToldUnclean(java.util.Set.of()).withFlag(MetadataFlag.UNCLEAN_RESTART,
                        false)
                    : superblock.withToldUnclean(state.toldUnclean)));
        }
    }
}

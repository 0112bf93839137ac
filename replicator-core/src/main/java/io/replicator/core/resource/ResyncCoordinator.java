package io.replicator.core.resource;

import static io.replicator.core.resource.ResourceState.outOfSyncKiB;
import static io.replicator.core.resource.ResourceState.slotOf;

import io.replicator.core.activitylog.ActivityLog;
import io.replicator.core.config.NetConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.generation.PeerSlots;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.resync.BlockDigest;
import io.replicator.core.resync.OnlineVerify;
import io.replicator.core.resync.Pacer;
import io.replicator.core.resync.RangeLock;
import io.replicator.core.resync.ResyncSource;
import io.replicator.core.resync.ResyncTargetJob;
import io.replicator.core.resync.ResyncController;
import io.replicator.core.resync.SyncProgress;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resync coordination (drbd.md §7): becoming sync source or target (ids recorded, bitmaps exchanged), running the
 * target's requests every 100 ms on the background lane with the rate controller and c-min-rate, finishing on both
 * sides (the target adopts the source's ids and becomes UpToDate), pause and resume by the peer or
 * {@code resync-after}, and leaving Ahead once congestion drains. The operator's commands ({@code invalidate},
 * {@code invalidate-remote}, {@code pause-sync}, {@code resume-sync}) are {@link ResyncCommands}.
 *
 * <p>Threads: the state changes run on the owner lane; {@link #resyncStep} runs on the background lane and hands
 * any state change back to the owner; resync jobs read the disk on the background lane.
 */
final class ResyncCoordinator {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    private final ResourceConfig config;
    private final HandlerInvoker handlers;
    private final ResourceScheduler scheduler;
    private final Map<String, PeerRuntime> peers;
    private final TransferLog transferLog;
    private final List<VolumeRuntime> volumes;
    private final Map<Integer, VolumeIo> served;

    ResyncCoordinator(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.handlers = state.handlers;
        this.scheduler = state.scheduler;
        this.peers = state.peers;
        this.transferLog = state.transferLog;
        this.volumes = state.volumes;
        this.served = state.served;
    }

    // ---- resync and verify (drbd.md §7) --------------------------------------------------------------------------

    /**
     * This node becomes sync source of {@code local} for {@code peer}: the resync's id is recorded as the bitmap id
     * for the peer (so a cut resync resumes from the bitmap), a full sync marks every block, and our bitmap goes to
     * the peer; the resync runs once the peer's bitmap came back ({@link #bitmapReceived}).
     */
    void startAsSource(PeerRuntime peer, VolumeRuntime local, boolean full) {
        AttachedDisk disk = local.disk().orElseThrow();
        int slot = slotOf(disk, peer.nodeId());
        VolumeSync sync = peer.sync(local.config().number());
        sync.source = true;
        sync.startedNanos = scheduler.nanoTime();
        sync.state = ReplicationState.WF_BIT_MAP_S;
        if (full) {
            disk.bitmaps().bitmap(slot).setAll();
        }
        state.disk.writeMetadata(local, superblock -> {
            GenerationIds ids = superblock.generationIds();
            return superblock.withGenerationIds(ids.withBitmapId(slot, Generations.syncId(ids, slot)));
        });
        state.disk.persistBitmap(local);
        config.handler("before-resync-source").ifPresent(command ->
            handlers.invoke("before-resync-source", command, state.handlerEnv.environment(local, peer)));
        sendBitmap(peer, local, slot);
    }

    /**
     * This node becomes sync target of {@code local}: a full sync marks every block, and our bitmap goes to the
     * source. The data becomes Inconsistent (on disk too) and its current id the resync's id at once for a full sync,
     * else once the source's bitmap came ({@link #becomeInconsistentAsTarget}).
     */
    void startAsTarget(PeerRuntime peer, VolumeRuntime local, boolean full, VolumeReport sourceReport) {
        startAsTarget(peer, local, full, sourceReport, full);
    }

    /** {@link #startAsTarget}; with {@code discarding} (invalidate) Inconsistent at once whatever the resync copies. */
    void startAsTarget(PeerRuntime peer, VolumeRuntime local, boolean full, VolumeReport sourceReport,
                       boolean discarding) {
        AttachedDisk disk = local.disk().orElseThrow();
        int slot = slotOf(disk, peer.nodeId());
        VolumeSync sync = peer.sync(local.config().number());
        sync.source = false;
        sync.startedNanos = scheduler.nanoTime();
        sync.state = ReplicationState.WF_BIT_MAP_T;
        config.handler("before-resync-target").ifPresent(command ->
            handlers.invoke("before-resync-target", command, state.handlerEnv.environment(local, peer)));
        if (full) {
            disk.bitmaps().bitmap(slot).setAll();
        }
        if (discarding) {
            // The data is being discarded (invalidate, a lost split brain, unrelated history): Inconsistent at once,
            // whether or not the resync gets to start.
            becomeInconsistentAsTarget(peer, local, sourceReport);
            state.disk.persistBitmap(local);
        } else {
            // Inconsistent here at once (no other peer takes this copy as a source, or for one holding writes it
            // acknowledged); on disk only once the resync starts. A session that ends before leaves the data as
            // the disk holds it ({@link #abandonedBeforeItStarted}).
            sync.startingFrom = sourceReport;
            sync.stateBeforeStart = local.state();
            if (local.state() != DiskState.INCONSISTENT) {
                local.moveTo(DiskState.INCONSISTENT);
            }
            PeerSender sender = peer.sender;
            if (sender != null) {
                state.generations.reportOf(local, peer, false).ifPresent(sender::sendReport);
            }
        }
        sendBitmap(peer, local, slot);
    }

    /**
     * The session with {@code peer} ended; a bitmap resync as target of it that never got the source's bitmap leaves
     * the data as it is: nothing was written, neither data nor metadata.
     */
    void abandonedBeforeItStarted(PeerRuntime peer) {
        for (VolumeSync sync : peer.syncs.values()) {
            if (sync.startingFrom == null) {
                continue;
            }
            sync.startingFrom = null;
            DiskState before = sync.stateBeforeStart;
            state.volume(sync.volume).filter(local -> local.disk().isPresent()
                && local.state() == DiskState.INCONSISTENT && before != null && before != DiskState.INCONSISTENT)
                .ifPresent(local -> {
                    LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: the resync ended before it started: {3} "
                        + "again", config.name(), sync.volume, peer.host.name(), before.drbdName());
                    local.moveTo(before);
                });
        }
    }

    /**
     * A bitmap resync as target really starts (the source's bitmap came, no block has moved yet) — a full one at the
     * decision: the data stops being a consistent image — Inconsistent, the resync's generation ids ({@link Generations#startingAsTarget}) — and how far
     * it got with a Primary is the source's from now on. Not at the decision: a session that ends before the bitmaps
     * were exchanged (the source handshaking again with a third node first) would leave a copy holding every
     * acknowledged write Inconsistent under an older generation, for any node to overwrite (simulation seed
     * 5801177670458957350, five nodes).
     */
    private void becomeInconsistentAsTarget(PeerRuntime peer, VolumeRuntime local, VolumeReport sourceReport) {
        AttachedDisk disk = local.disk().orElseThrow();
        long syncId = Generations.syncId(sourceReport.ids(), sourceReport.peerSlot());
        PeerSlots others = state.generations.otherUnreachableSlots(disk.backing().metadata().current(), peer.nodeId());
        state.disk.writeMetadata(local, superblock -> state.generations.startingAsTarget(superblock, others, syncId,
            sourceReport));
        if (local.state() != DiskState.INCONSISTENT) {
            local.moveTo(DiskState.INCONSISTENT);
        }
        if (state.lastWrite.node() != peer.nodeId()) {
            // This copy becomes the source's: how far it got with a Primary is now what the source says (unless the
            // source is that Primary, whose data holds every write it sent here). Kept, a node that invalidated, or
            // was resynced from a node that missed writes, would claim writes it no longer holds.
            state.lastWrite(sourceReport.lastWrite());
        }
        PeerSender sender = peer.sender;
        if (sender != null) {
            state.generations.reportOf(local, peer, false).ifPresent(sender::sendReport);
        }
    }

    void sendBitmap(PeerRuntime peer, VolumeRuntime local, int slot) {
        PeerSender sender = peer.sender;
        if (sender == null) {
            return;
        }
        sender.sendBitmap(local.config().number(), local.disk().orElseThrow().bitmaps().bitmap(slot));
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: sent bitmap ({3,number,#} KiB marked)", config.name(),
            local.config().number(), peer.host.name(), outOfSyncKiB(local.disk().orElseThrow(), peer.nodeId()));
    }

    /**
     * The bitmap slots of the peers whose copy a resync from {@code source} moves this node's data away from: every
     * peer but the source — except, when the source is Primary, the nodes it replicates to, which hold its data
     * already (or get it from it).
     */
    private int[] slotsChangedByResyncFrom(PeerRuntime source, AttachedDisk disk) {
        // Its set as announced (PEERS); before the announcement came, nobody is assumed to hold its data.
        long sameData = source.peerRole() == Role.PRIMARY && source.replicatesTo != -1 ? source.replicatesTo : 0;
        return peers.values().stream()
            .filter(other -> other != source && (sameData & (1L << other.nodeId())) == 0)
            .mapToInt(other -> slotOf(disk, other.nodeId()))
            .filter(slot -> slot >= 0)
            .toArray();
    }

    /**
     * The peer's last bitmap chunk came: both sides now hold the union of the two bitmaps, and the resync runs. On
     * the owner thread, called synchronously from the receive thread so that requests after the bitmap find it.
     */
    void bitmapReceived(PeerRuntime peer, int number) {
        VolumeSync sync = peer.syncs.get(number);
        Optional<VolumeRuntime> local = state.volume(number);
        PeerSender sender = peer.sender;
        if (sync == null || !sync.resyncing() || local.isEmpty() || local.get().disk().isEmpty() || sender == null) {
            return;
        }
        AttachedDisk disk = local.get().disk().get();
        int slot = slotOf(disk, peer.nodeId());
        NetConfig net = peer.connection.net();
        long maxInFlight = Math.max(1, net.maxBuffers() / 2) * 4096L;
        // The union of both bitmaps is on disk before any block moves: the source clears a bit once the target
        // acknowledges the block, before the target flushed it, so a target that crashes must still find the bit in
        // its own bitmap at the next connection.
        state.disk.persistBitmap(local.get());
        if (local.get().disk().isEmpty()) {
            return;
        }
        if (sync.source) {
            sync.sourceSide = new io.replicator.core.resync.ResyncSource(number, disk.bitmaps().bitmap(slot),
                disk.data(), rangeLock, sender, digestOf(net.csumsAlg()), scheduler::nanoTime);
            sync.state = ReplicationState.SYNC_SOURCE;
            refreshPausedState(sync);
        } else {
            if (sync.startingFrom != null) {
                becomeInconsistentAsTarget(peer, local.get(), sync.startingFrom);
                sync.startingFrom = null;
            }
            // A Primary target (rr-conflict violently) writes the volume itself: answers are applied under the
            // transfer log's range hold and dropped when one of its writes overtook the request.
            ResyncTargetJob job = new ResyncTargetJob(number, disk.bitmaps().bitmap(slot),
                new ResyncDataVolume(disk, slotsChangedByResyncFrom(peer, disk)),
                digestOf(net.csumsAlg()), pacerFor(local.get(), net), sender::sendSync, scheduler::nanoTime,
                maxInFlight, () -> scheduler.execute(() -> finishAsTarget(peer, number)),
                state.role == Role.PRIMARY ? rangeLock : RangeLock.NONE);
            if (state.userPausedSync) {
                job.pause(ResyncTargetJob.PauseReason.USER, true);
            }
            if (sync.pausedByPeer) {
                job.pause(ResyncTargetJob.PauseReason.PEER, true);
            }
            sync.target = job;
            sync.state = ReplicationState.SYNC_TARGET;
            refreshPausedState(sync);
            scheduler.background(() -> {
                job.step();
                job.checkFinished();
            });
        }
        if (state.userPausedSync) {
            sender.sendSync(SyncMessage.of(SyncMessage.Kind.PAUSE, number, 0, 0, 0));
        }
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: resync started as {3}, {4,number,#} KiB to go",
            config.name(),
            number, peer.host.name(), sync.source ? "SyncSource" : "SyncTarget", outOfSyncKiB(disk, peer.nodeId()));
        state.notifyListeners();
    }

    /** The target's job found nothing left: UpToDate, the source's ids adopted, the source told by our report. */
    void finishAsTarget(PeerRuntime peer, int number) {
        VolumeSync sync = peer.syncs.get(number);
        Optional<VolumeRuntime> local = state.volume(number);
        VolumeReport sourceReport = peer.reports.get(number);
        if (sync == null || sync.target == null || local.isEmpty() || local.get().disk().isEmpty()
            || sourceReport == null) {
            return;
        }
        ResyncTargetJob job = sync.target;
        AttachedDisk disk = local.get().disk().get();
        int slot = slotOf(disk, peer.nodeId());
        long seconds = (scheduler.nanoTime() - sync.startedNanos) / 1_000_000_000L;
        if (job.failedBytes() > 0) {
            state.disk.persistBitmap(local.get());
            LOG.log(System.Logger.Level.ERROR, "{0}/{1} with {2}: resync finished with {3,number,#} KiB failed; "
                + "the data "
                + "stays Inconsistent", config.name(), number, peer.host.name(), job.failedBytes() / 1024);
            sync.target = null;
            sync.state = ReplicationState.ESTABLISHED;
            state.notifyListeners();
            return;
        }
        if (state.handshake.syncingAsTargetWith(number, peer).isPresent()) {
            throw new IllegalStateException("volume " + number + " finished a resync from " + peer.host.name()
                + " while another runs");
        }
        // The data is now the source's: whether this node once crashed as Primary, or lost unflushed writes in a
        // machine crash of its own (its activity-log extents were marked toward the source too, so the resync
        // replaced them), no longer matters — but a source back from a machine crash may have lost unflushed writes,
        // and this copy of its data may lack them too: the other peers are told so at their next handshake, as they
        // would be by the source.
        // Back from a machine crash as Primary, this node completed writes that may be only on the peers it has not met
        // since (the crash took its copy, the source never had them): they are still to be told (simulation seed
        // -3926041774289139685, three nodes).
        Superblock before = local.get().disk().get().backing().metadata().current();
        boolean ownWritesElsewhere = before.has(MetadataFlag.CRASHED_PRIMARY)
            && before.has(MetadataFlag.UNCLEAN_RESTART);
        boolean suspect = sourceReport.restartedUnclean() || ownWritesElsewhere;
        if (sourceReport.restartedUnclean()) {
            state.toldUnclean.clear();
        }
        if (suspect) {
            state.toldUnclean.add(peer.nodeId());
        }
        // The data is the source's, and as new as the source's: a copy of Outdated data is Outdated too (it knows
        // of a node ahead), not UpToDate (simulation seed -4794304479322027848, three nodes: an invalidated node
        // resynced from an Outdated one, promotable, lacked an acknowledged write).
        boolean outdated = sourceReport.disk() == DiskState.OUTDATED;
        Outcome written = state.disk.writeMetadata(local.get(), superblock -> DiskEdge.upToDate(superblock)
            .withFlag(MetadataFlag.OUTDATED, outdated).withFlag(MetadataFlag.WAS_UP_TO_DATE, !outdated)
            .withFlag(MetadataFlag.UNCLEAN_RESTART, suspect)
            .withFlag(MetadataFlag.CRASHED_PRIMARY, false)
            .withGenerationIds(superblock.generationIds().resyncFinishedAsTarget(slot, sourceReport.ids()))
            .withToldUnclean(suspect ? state.toldUnclean : java.util.Set.of()));
        state.disk.persistBitmap(local.get());
        if (written.ok()) {
            local.get().moveTo(outdated ? DiskState.OUTDATED : DiskState.UP_TO_DATE);
        }
        sync.target = null;
        sync.state = ReplicationState.ESTABLISHED;
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: resync done as SyncTarget (total {3,number,#} sec; "
            + "{4,number,#} K/sec; "
            + "{5,number,#} KiB equal by checksum)", config.name(), number, peer.host.name(), seconds,
            job.progress().averageKiBPerSec(scheduler.nanoTime()), job.sameCsumBytes() / 1024);
        config.handler("after-resync-target").ifPresent(command ->
            handlers.invoke("after-resync-target", command, state.handlerEnv.environment(local.get(), peer)));
        state.generations.reportToPeers(false);
        state.connections.reconcileMarkedBlocks(peer, "a resync from " + peer.host.name());
        state.notifyListeners();
    }

    /** The target reported UpToDate: the resync is over here too; its id goes to history. */
    void finishAsSource(PeerRuntime peer, VolumeRuntime local, VolumeSync sync) {
        AttachedDisk disk = local.disk().orElseThrow();
        int slot = slotOf(disk, peer.nodeId());
        ResyncSource side = sync.sourceSide;
        // Every requested block was acknowledged and cleared; bits still set were marked since (the peer went Ahead
        // again) and wait for the next resync.
        state.disk.writeMetadata(local, superblock -> superblock.withFlag(MetadataFlag.CRASHED_PRIMARY, false)
            .withGenerationIds(superblock.generationIds().resyncFinishedAsSource(slot)));
        state.disk.persistBitmap(local);
        long seconds = (scheduler.nanoTime() - sync.startedNanos) / 1_000_000_000L;
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: resync done as SyncSource (total {3,number,#} sec; "
            + "{4,number,#} K/sec)",
            config.name(), local.config().number(), peer.host.name(), seconds,
            side == null ? 0 : side.progress().averageKiBPerSec(scheduler.nanoTime()));
        sync.sourceSide = null;
        sync.state = ReplicationState.ESTABLISHED;
        state.handshake.toldUnclean(peer);
        state.notifyListeners();
    }

    void logThrottled(PeerRuntime peer, VolumeSync sync) {
        if (!sync.throttleLogged) {
            sync.throttleLogged = true;
            LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: resync held back by c-min-rate (other I/O on this "
                + "disk; the resync keeps at least c-min-rate)", config.name(), sync.volume, peer.host.name());
        }
    }

    /** c-min-rate: whether {@code sync}'s resync should hold back now, from {@code local}'s disk activity. */
    boolean throttled(VolumeSync sync, VolumeRuntime local, SyncProgress progress) {
        Optional<AttachedDisk> disk = local.disk();
        long cMinRate = local.config().resync().cMinRateBytesPerSec();
        if (disk.isEmpty() || cMinRate == 0) {
            // c-min-rate 0 never throttles: no activity-log lock for every request served.
            return false;
        }
        ActivityLog activityLog = disk.get().activityLog();
        long waits;
        synchronized (activityLog) {
            waits = activityLog.transactionsWritten() + activityLog.slotWaits();
        }
        long rate = progress.rateKiBPerSec(scheduler.nanoTime()).orElse(0) * 1024;
        return sync.throttle.shouldThrottle(cMinRate, rate, disk.get().foreignIoBytes(), waits);
    }

    /** Every 100 ms on the resync thread: each running target job and verify plans its next requests. */
    void resyncStep() {
        try {
            boolean active = false;
            for (PeerRuntime peer : peers.values()) {
                for (VolumeSync sync : peer.syncs.values()) {
                    ResyncTargetJob job = sync.target;
                    if (job != null) {
                        active = true;
                        Optional<VolumeRuntime> local = state.volume(sync.volume);
                        boolean waiting = local.isPresent() && waitsForResyncAfter(local.get());
                        if (waiting != job.pauseReasons().contains(ResyncTargetJob.PauseReason.DEPENDENCY)) {
                            job.pause(ResyncTargetJob.PauseReason.DEPENDENCY, waiting);
                            sync.pausedByDependency = waiting;
                            scheduler.execute(() -> {
                                refreshPausedState(sync);
                                state.notifyListeners();
                            });
                        }
                        if (local.isPresent() && throttled(sync, local.get(), job.progress())) {
                            logThrottled(peer, sync);
                            // c-min-rate: the application is busy on this disk and the resync runs above its
                            // minimum: skip this step's requests in its favour.
                            job.checkFinished();
                            continue;
                        }
                        job.step();
                        job.checkFinished();
                    }
                    OnlineVerify verify = sync.verify;
                    if (verify != null) {
                        verify.step();
                    }
                }
            }
            for (PeerRuntime peer : peers.values()) {
                if (peer.ahead && peer.replicating
                    && transferLog.unackedBytes(peer.nodeId()) <= peer.connection.net().congestionFillBytes() / 2) {
                    scheduler.execute(() -> state.resyncTriggers.leaveAhead(peer));
                }
            }
            long now = scheduler.nanoTime();
            if (active && now - state.lastLazyWriteout >= LAZY_BITMAP_NANOS) {
                state.lastLazyWriteout = now;
                scheduler.execute(() -> volumes.forEach(state.disk::persistBitmap));
            }
        } catch (RuntimeException failure) {
            LOG.log(System.Logger.Level.ERROR, "{0}: resync step failed", config.name(), failure);
        }
    }

    /**
     * {@code local}'s disk is going away (detach, or on-io-error detach): every resync or verify of it stops, since
     * their jobs read and write that disk, and the connections they ran on end, so that the next connection decides
     * again from the bitmaps (the resync resumes there after the disk is back).
     */
    void abandonSyncsOf(VolumeRuntime local) {
        int number = local.config().number();
        for (PeerRuntime peer : peers.values()) {
            VolumeSync sync = peer.syncs.get(number);
            if (sync == null || sync.state == ReplicationState.ESTABLISHED) {
                continue;
            }
            sync.stop();
            PeerSender sender = peer.sender;
            if (sender != null) {
                sender.close("the local disk of volume " + number + " went away during a resync or verify");
            }
        }
    }

    boolean waitsForResyncAfter(VolumeRuntime local) {
        Optional<String> after = local.config().resync().resyncAfter();
        if (after.isEmpty() || after.get().isBlank() || after.get().equals("-1")) {
            return false;
        }
        String[] parts = after.get().split("/", 2);
        int volume = parts.length > 1 ? parseVolume(parts[1]) : 0;
        return state.resyncActivity.test(parts[0], volume);
    }

    static int parseVolume(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException notNumber) {
            return -1;
        }
    }

    /** Whether volume {@code volume} of this resource is resyncing with any peer now (for resync-after). Any thread. */
    public boolean resyncing(int volume) {
        for (PeerRuntime peer : peers.values()) {
            VolumeSync sync = peer.syncs.get(volume);
            if (sync != null && sync.resyncing()) {
                return true;
            }
        }
        return false;
    }

    /** The transfer log holds ranges against application writes while a resync or verify reads them. */
    final RangeLock rangeLock = new RangeLock() {
        @Override
        public void lock(int volume, long offset, long length) throws InterruptedException {
            transferLog.lockRange(volume, offset, length);
        }

        @Override
        public void unlock(int volume, long offset, long length) {
            transferLog.unlockRange(volume, offset, length);
        }
    };

    static BlockDigest digestOf(Optional<String> algorithm) {
        return algorithm.filter(name -> !name.isBlank()).map(BlockDigest::of).orElse(null);
    }

    /** How fast a resync or verify of {@code local} may request: DRBD's fixed rate or dynamic controller. */
    static Pacer pacerFor(VolumeRuntime local, NetConfig net) {
        return new ResyncController(local.config().resync(), net.maxBuffers())::bytesToRequest;
    }

    /** Shows PausedSync* while any pause flag (ours or the peer's) holds a running resync. */
    void refreshPausedState(VolumeSync sync) {
        boolean paused = state.userPausedSync || sync.pausedByPeer || sync.pausedByDependency;
        if (sync.state == ReplicationState.SYNC_SOURCE && paused) {
            sync.state = ReplicationState.PAUSED_SYNC_S;
        } else if (sync.state == ReplicationState.PAUSED_SYNC_S && !paused) {
            sync.state = ReplicationState.SYNC_SOURCE;
        } else if (sync.state == ReplicationState.SYNC_TARGET && paused) {
            sync.state = ReplicationState.PAUSED_SYNC_T;
        } else if (sync.state == ReplicationState.PAUSED_SYNC_T && !paused) {
            sync.state = ReplicationState.SYNC_TARGET;
        }
    }

    /** DRBD's resync step: requests are planned every 100 ms. */
    static final long RESYNC_STEP_MS = 100;

    /** How long the sync source holds back one request while c-min-rate throttles it (DRBD: 100 ms). */
    static final long SOURCE_THROTTLE_MS = 100;

    /** Bitmap pages whose bits a resync cleared are written out at most this often (drbd.md §6, lazy writeout). */
    static final long LAZY_BITMAP_NANOS = 2_000_000_000L;
}

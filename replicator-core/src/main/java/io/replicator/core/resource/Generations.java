package io.replicator.core.resource;

import static io.replicator.core.resource.ResourceState.dirtyBlocks;
import static io.replicator.core.resource.ResourceState.outOfSyncKiB;
import static io.replicator.core.resource.ResourceState.slotOf;

import io.replicator.core.activitylog.ActivityLog;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.generation.PeerSlots;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.PeerFlag;
import io.replicator.core.metadata.PeerSlot;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Generation bookkeeping (drbd.md §4, §6): when this node starts a new data generation, into which peer slots the
 * old one goes, when it adopts a peer's, and which blocks are marked out of sync for whom — the rules that let a
 * peer tell later that it missed writes.
 *
 * <ul>
 *   <li>A Primary that writes without some peer starts a new generation first, rotated into the slot of every
 *       unreachable peer ({@link #unreachableSlots}); lazily, before its next write
 *       ({@link #startGenerationIfPending}), or at once when writes were in flight at the loss
 *       ({@link #startNewGeneration}, called by {@link Connections#lostPeer}).</li>
 *   <li>A Secondary replicating from a Primary that moved on adopts its generation, rotating its own old one into
 *       the slots of peers that are away ({@link #adoptGeneration}).</li>
 *   <li>Blocks written here from one peer are marked for every other peer that is away
 *       ({@link #markForAbsentPeers}), and what arrived from others while a lost peer's loss went unnoticed is
 *       marked for it ({@link #markRecentPeerWrites}). Over-marking costs resync time, never data.</li>
 * </ul>
 * The reports a connection exchanges ({@link #reportOf}) carry these ids. Owner lane, except
 * {@link #markForAbsentPeers}, which the receive threads call (it only sets bitmap bits).
 */
final class Generations {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    private final ResourceConfig config;
    private final RandomGenerator random;
    private final ResourceScheduler scheduler;
    private final Map<String, PeerRuntime> peers;
    private final PeerRuntime[] peersByNode;
    private final List<VolumeRuntime> volumes;

    Generations(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.random = state.random;
        this.scheduler = state.scheduler;
        this.peers = state.peers;
        this.peersByNode = state.peersByNode;
        this.volumes = state.volumes;
    }

    /** This node's report of {@code volume} for {@code peer}; empty without a disk. */
    Optional<VolumeReport> reportOf(VolumeRuntime volume, PeerRuntime peer, boolean skipInitialSync) {
        return volume.disk().map(disk -> {
            Superblock superblock = disk.backing().metadata().current();
            int slot = superblock.slotOf(peer.nodeId());
            return new VolumeReport(volume.config().number(), superblock.generationIds(), slot,
                disk.data().sizeBytes(), state.role, volume.state(), superblock.has(MetadataFlag.CRASHED_PRIMARY),
                skipInitialSync, dirtyBlocks(disk, peer.nodeId()), peer.discardMyData,
                superblock.has(MetadataFlag.UNCLEAN_RESTART) && !state.toldUnclean.contains(peer.nodeId()),
                servesPrimaryOtherThan(peer),
                state.lastWrite, superblock.has(MetadataFlag.PRIMARY_LOST_QUORUM),
                superblock.has(MetadataFlag.ACKED_AS_PRIMARY), superblock.has(MetadataFlag.FOLLOWS_PRIMARY)
                    && volume.state() == DiskState.INCONSISTENT);
        });
    }

    /** Whether this node replicates from a Primary other than {@code peer} (its data is in use there). */
    boolean servesPrimaryOtherThan(PeerRuntime peer) {
        return state.role != Role.PRIMARY && otherPrimary(peer).isPresent();
    }

    /** A peer other than {@code peer} that is Primary and replicates with this node. */
    Optional<PeerRuntime> otherPrimary(PeerRuntime peer) {
        return peers.values().stream()
            .filter(other -> other != peer && other.replicating && other.peerRole() == Role.PRIMARY).findFirst();
    }

    /**
     * Sends every replicating peer but {@code except} a fresh report: this node started or stopped replicating from a
     * Primary ({@code except}), and the others must know before one of them is promoted (a peer that replicates from
     * another Primary refuses a promotion: {@link PromotionRules}).
     */
    void reportToOthers(PeerRuntime except) {
        reportTo(except, false);
    }

    /** Sends every connected peer a fresh report (after a role or generation change). */
    void reportToPeers(boolean skipInitialSync) {
        reportTo(null, skipInitialSync);
    }

    /** A fresh report to every replicating peer but {@code except} (may be null). */
    private void reportTo(PeerRuntime except, boolean skipInitialSync) {
        for (PeerRuntime peer : peers.values()) {
            PeerSender sender = peer.sender;
            if (peer != except && sender != null && peer.replicating) {
                for (VolumeRuntime volume : volumes) {
                    reportOf(volume, peer, skipInitialSync).ifPresent(sender::sendReport);
                }
            }
        }
    }

    /** The resync's id: the source's bitmap id for the target, or its current id when that slot is empty. */
    static long syncId(GenerationIds sourceIds, int sourceSlotForTarget) {
        long bitmap = GenerationIds.mask(sourceIds.bitmap(sourceSlotForTarget));
        return bitmap != 0 ? bitmap : GenerationIds.mask(sourceIds.current());
    }

    /** A connection that needed no resync clears the crashed-primary mark: the peer holds the same data. */
    void clearCrashedPrimary(VolumeRuntime local) {
        local.disk().ifPresent(disk -> {
            if (disk.backing().metadata().current().has(MetadataFlag.CRASHED_PRIMARY)) {
                state.disk.writeMetadata(local, superblock -> superblock.withFlag(MetadataFlag.CRASHED_PRIMARY, false));
            }
        });
    }

    /**
     * No resync with a peer of the same generation: our bitmap id for it is stale (both sides recorded changes from
     * the same older generation, and a third node brought the peer up to date), so the slot is emptied — left set,
     * it would stop the next generation from rotating into the slot. Marked blocks stay marked (DRBD's "no resync,
     * but bits in the bitmap"): the next resync with the peer copies them again, which costs time, never data.
     */
    void releaseBitmapIdOfSameGeneration(PeerRuntime peer, VolumeRuntime local) {
        VolumeReport report = peer.reports.get(local.config().number());
        local.disk().ifPresent(disk -> {
            GenerationIds ids = disk.backing().metadata().current().generationIds();
            int slot = slotOf(disk, peer.nodeId());
            if (report == null || slot < 0 || ids.bitmap(slot) == 0 || local.state() != DiskState.UP_TO_DATE
                || report.disk() != DiskState.UP_TO_DATE
                || GenerationIds.mask(ids.current()) != GenerationIds.mask(report.ids().current())) {
                return;
            }
            state.disk.writeMetadata(local, superblock -> superblock.withGenerationIds(
                superblock.generationIds().withBitmapId(slot, 0)));
            long marked = outOfSyncKiB(disk, peer.nodeId());
            if (marked > 0) {
                LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: no resync, but {3,number,#} KiB stay marked "
                    + "out of sync (copied again by the next resync)", config.name(), local.config().number(),
                    peer.host.name(), marked);
            }
        });
    }

    /**
     * A block written here that came from {@code source} (replicated or resync data) is marked for every other peer
     * that is away: that peer may resync from this node's bitmap later, and without the mark it would miss the
     * block. A peer replicating with us gets the write from the Primary itself — or, if it was lost before this
     * node noticed, from {@link #markRecentPeerWrites}. Over-marking costs resync time, never data.
     */
    /**
     * Whether a write that came from a peer is pinned in the activity log while it is applied here
     * ({@link AttachedDisk#pinExtents}): whenever there is a third node. Then a crash of this node marks the extent
     * toward every peer at the next attach — the marks {@link #markForAbsentPeers} set in memory for a peer that is
     * away (H5), and the writes of a Primary that reached this node and not another one, which this node cannot
     * tell yet (DRBD 9 runs a Secondary's writes through the activity log too). With one peer, the Primary's own
     * activity log covers them.
     */
    boolean pinsPeerWrites() {
        return peers.size() >= 2;
    }

    void markForAbsentPeers(int source, int number, long offset, long length) {
        if (peers.size() < 2) {
            // No third node: nothing to mark, nothing to remember (the common two-node case pays nothing per write).
            return;
        }
        Optional<VolumeRuntime> volume = state.volume(number);
        Optional<AttachedDisk> disk = volume.flatMap(VolumeRuntime::disk);
        if (disk.isEmpty() || length <= 0 || offset + length > disk.get().data().sizeBytes()) {
            return;
        }
        volume.get().writesFrom(source).record(offset, length, scheduler.nanoTime());
        Superblock superblock = disk.get().backing().metadata().current();
        PeerRuntime from = source >= 0 && source < peersByNode.length ? peersByNode[source] : null;
        long reached = from == null ? -1 : from.replicatesTo;
        for (PeerRuntime other : peersByNode) {
            if (other == null || other.nodeId() == source) {
                continue;
            }
            boolean missesIt = (reached & (1L << other.nodeId())) == 0;
            if (other.replicating && !missesIt) {
                continue;
            }
            int slot = superblock.slotOf(other.nodeId());
            if (slot >= 0) {
                disk.get().markOutOfSync(slot, offset, length);
            }
            if (missesIt) {
                tellBehind(other, number, offset, length);
            }
        }
    }

    /**
     * {@code other} is connected here but does not get the Primary's writes: it is told of each one it misses, as an
     * Ahead Primary tells a Behind peer, and so it is Outdated until resynced rather than an UpToDate copy that
     * silently lacks writes (H3).
     */
    private static void tellBehind(PeerRuntime other, int number, long offset, long length) {
        PeerSender sender = other.sender;
        if (sender != null && other.replicating) {
            sender.sendOutOfSync(number, offset, length);
        }
    }

    /**
     * Primary {@code primary} says it replicates to the nodes in {@code mask} from here on in its stream. A node it
     * used to reach and no longer does may have missed what this node applied from it lately (the Primary's loss of
     * that node went unnoticed for a while): those extents are marked for the node, and it is told of them. From now
     * on {@link #markForAbsentPeers} marks the Primary's writes for it too. Owner lane.
     */
    void primaryReplicatesTo(PeerRuntime primary, long mask) {
        long before = primary.replicatesTo;
        primary.replicatesTo = mask;
        long dropped = before & ~mask;
        if (dropped == 0) {
            return;
        }
        long now = scheduler.nanoTime();
        for (PeerRuntime other : peersByNode) {
            if (other == null || other == primary || (dropped & (1L << other.nodeId())) == 0) {
                continue;
            }
            LOG.log(System.Logger.Level.INFO, "{0}: {1} no longer replicates to {2}: marking what {2} may miss",
                config.name(), primary.host.name(), other.host.name());
            for (VolumeRuntime volume : volumes) {
                volume.disk().ifPresent(disk -> {
                    int slot = slotOf(disk, other.nodeId());
                    long size = disk.data().sizeBytes();
                    int number = volume.config().number();
                    volume.writesFrom(primary.nodeId()).forEachRecent(now, extent -> {
                        if (extent < size && slot >= 0) {
                            long length = Math.min(ActivityLog.EXTENT_BYTES, size - extent);
                            disk.markOutOfSync(slot, extent, length);
                            tellBehind(other, number, extent, length);
                        }
                    });
                });
            }
        }
    }

    /**
     * While Primary: tells every replicating peer which nodes this node replicates to ({@code PEERS}), after the set
     * changed (a peer joined or was lost) and on promotion.
     */
    void announceReplicatedPeers() {
        if (state.role != Role.PRIMARY) {
            return;
        }
        long mask = 0;
        for (PeerRuntime peer : peers.values()) {
            if (peer.replicating) {
                mask |= 1L << peer.nodeId();
            }
        }
        for (PeerRuntime peer : peers.values()) {
            PeerSender sender = peer.sender;
            if (sender != null && peer.replicating && !volumes.isEmpty()) {
                sender.sendSync(SyncMessage.of(SyncMessage.Kind.PEERS, volumes.get(0).config().number(), mask, 0, 0));
            }
        }
    }

    /**
     * {@code peer} was lost: what other peers wrote here while the loss went unnoticed may not have reached it, so
     * every extent they wrote here within the detection window is marked for it (after {@code replicating} went
     * false, so later writes are marked by {@link #markForAbsentPeers}). What the lost peer itself wrote, it has.
     */
    void markRecentPeerWrites(PeerRuntime peer) {
        long now = scheduler.nanoTime();
        for (VolumeRuntime volume : volumes) {
            volume.disk().ifPresent(disk -> {
                int slot = slotOf(disk, peer.nodeId());
                long size = disk.data().sizeBytes();
                if (slot < 0) {
                    return;
                }
                volume.writesNotFrom(peer.nodeId()).values().forEach(writes -> writes.forEachRecent(now, extent -> {
                    if (extent < size) {
                        disk.markOutOfSync(slot, extent, Math.min(ActivityLog.EXTENT_BYTES, size - extent));
                    }
                }));
            });
        }
    }

    /**
     * {@code primary}, this node's Primary, was lost: the writes it sent here within the detection window may not have
     * reached the other nodes, and they may hold some that did not reach this one. Those extents are marked for every
     * other peer, so that the next handshake with each resyncs them ({@link Connections#reconcileMarkedBlocks}).
     */
    void markRecentWritesOfLostPrimary(PeerRuntime primary) {
        long now = scheduler.nanoTime();
        for (VolumeRuntime volume : volumes) {
            volume.disk().ifPresent(disk -> {
                long size = disk.data().sizeBytes();
                for (PeerRuntime other : peers.values()) {
                    int slot = slotOf(disk, other.nodeId());
                    if (other == primary || slot < 0) {
                        continue;
                    }
                    volume.writesFrom(primary.nodeId()).forEachRecent(now, extent -> {
                        if (extent < size) {
                            disk.markOutOfSync(slot, extent, Math.min(ActivityLog.EXTENT_BYTES, size - extent));
                        }
                    });
                }
            });
        }
    }

    /**
     * Records on disk how far this node got with {@code primary}, just lost: the last write it applied from it. A
     * process that restarts reads it back at attach ({@link #recallLastWrite}), so the reconciliation with the other
     * Secondaries still resyncs from the one that got further. The data it names is flushed first
     * ({@link DiskEdge#writeMetadata}).
     */
    void recordLastWriteOf(PeerRuntime primary) {
        LastWrite last = state.lastWrite;
        if (last.node() != primary.nodeId()) {
            return;
        }
        for (VolumeRuntime volume : volumes) {
            if (volume.disk().isPresent()) {
                state.disk.writeMetadata(volume, superblock -> superblock.withLastWrite(last));
            }
        }
    }

    /**
     * Forgets the recorded last write on disk before a session that may bring newer writes starts: a crash after them
     * would otherwise read back a write this node got past, and it would claim to be behind. Memory keeps it.
     */
    void forgetRecordedLastWrite() {
        for (VolumeRuntime volume : volumes) {
            volume.disk().filter(disk -> !disk.backing().metadata().current().lastWrite().equals(LastWrite.NONE))
                .ifPresent(disk -> state.disk.writeMetadata(volume, superblock -> superblock.withLastWrite(
                    LastWrite.NONE)));
        }
    }

    /**
     * After attaching {@code disk}: a restarted node takes back the last write it recorded — from its memo after a
     * crash of its process in this boot (the memo follows every write), else from the disk (recorded at the loss of
     * the Primary).
     */
    void recallLastWrite(AttachedDisk disk) {
        if (!state.lastWrite.equals(LastWrite.NONE)) {
            return;
        }
        Superblock superblock = disk.backing().metadata().current();
        LastWrite kept = disk.processCrashed() ? ownWritesOnlyAfterAMachineCrash(state.lastWriteMemo.recall(),
            superblock) : LastWrite.NONE;
        LastWrite recorded = kept.equals(LastWrite.NONE)
            ? ownWritesOnlyAfterAMachineCrash(superblock.lastWrite(), superblock) : kept;
        if (!recorded.equals(LastWrite.NONE)) {
            state.lastWrite(recorded);
        }
    }

    /** After attaching {@code disk}: the peers told of its unclean restart before this process started (on disk). */
    void recallToldUnclean(AttachedDisk disk) {
        Superblock superblock = disk.backing().metadata().current();
        if (superblock.has(MetadataFlag.UNCLEAN_RESTART)) {
            peers.values().stream().filter(peer -> superblock.peerHas(peer.nodeId(), PeerFlag.TOLD_UNCLEAN))
                .forEach(peer -> state.toldUnclean.add(peer.nodeId()));
        }
    }

    /**
     * A last write of this node's own (recorded as Primary after each flush, {@link AttachedDisk#flushMark})
     * counts only after a machine crash: it says how far the data on disk got. After a process crash or a clean stop
     * every write is on disk, and the flushed point, behind them, would make a Secondary with later writes look ahead
     * of this node's data.
     */
    private static LastWrite ownWritesOnlyAfterAMachineCrash(LastWrite last, Superblock superblock) {
        return last.node() == superblock.nodeId() && !superblock.has(MetadataFlag.UNCLEAN_RESTART) ? LastWrite.NONE
            : last;
    }

    /** The peer slots of peers other than {@code except} that are not connected. */
    PeerSlots otherUnreachableSlots(Superblock superblock, int except) {
        int exceptSlot = superblock.slotOf(except);
        PeerSlots all = unreachableSlots(superblock);
        List<Integer> slots = new ArrayList<>();
        for (int slot = 0; slot < GenerationIds.MAX_PEERS; slot++) {
            if (slot != exceptSlot && all.contains(slot)) {
                slots.add(slot);
            }
        }
        return PeerSlots.of(slots.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The replicating peer started a new generation: adopt it. With {@code --clear-bitmap} (skip the initial sync)
     * both copies are declared identical: bitmaps cleared, UpToDate; otherwise the Primary moved on while this node
     * kept receiving every write, so only the current id changes: the old one goes into the bitmap slots of peers
     * that are away (their changes are recorded from here on, {@link #markForAbsentPeers}) or else to history —
     * and, {@code primaryReaches} being the Primary's replicated set (-1: everyone), of peers connected here that
     * the Primary does not reach, since they do not get the new generation's writes either (H3).
     */
    void adoptGeneration(VolumeRuntime volume, VolumeReport report, long primaryReaches) {
        volume.disk().ifPresent(disk -> {
            boolean skip = report.skipInitialSync();
            if (skip) {
                for (int slot = 0; slot < disk.bitmaps().maxPeers(); slot++) {
                    disk.bitmaps().bitmap(slot).clearAll();
                }
            }
            state.disk.writeMetadata(volume, superblock -> {
                GenerationIds ids = superblock.generationIds();
                GenerationIds moved = skip ? ids.clearBitmapSkipInitialSync(random, state.role == Role.PRIMARY)
                    : ids.newCurrent(random, state.role == Role.PRIMARY, slotsMissing(superblock, primaryReaches));
                Superblock updated = superblock.withGenerationIds(moved.adoptingCurrent(report.ids().current(),
                    state.role == Role.PRIMARY));
                return skip ? DiskEdge.upToDate(updated) : updated;
            });
            if (skip && volume.state() != DiskState.UP_TO_DATE) {
                volume.moveTo(DiskState.UP_TO_DATE);
            }
        });
    }

    /**
     * This node's disk is Inconsistent and takes the writes of Primary {@code report}, of another generation: its
     * data now holds some of them, so its ids follow the Primary's ({@link GenerationIds#followingPrimary}).
     */
    void followPrimary(VolumeRuntime volume, VolumeReport report) {
        volume.disk().ifPresent(disk -> state.disk.writeMetadata(volume, superblock -> {
            GenerationIds next = superblock.generationIds().followingPrimary(report.ids());
            return superblock.withFollowedFrom(followedFrom(superblock, next)).withGenerationIds(next)
                .withFlag(MetadataFlag.FOLLOWS_PRIMARY, true);
        }));
    }

    /**
     * The superblock of a sync target as its resync from {@code source} starts: Inconsistent; the resync's id as
     * current ({@link GenerationIds#resyncStartingAsTarget}) — or the source's generation, followed
     * ({@link #follows}); and, its data becoming the source's, no longer holding what it completed as a Primary.
     */
    Superblock startingAsTarget(Superblock superblock, PeerSlots others, long syncId, VolumeReport source) {
        boolean follows = follows(superblock, source);
        GenerationIds starting = superblock.generationIds().resyncStartingAsTarget(others, syncId, source.ids());
        boolean acked = superblock.has(MetadataFlag.ACKED_AS_PRIMARY) && state.role == Role.PRIMARY;
        GenerationIds next = follows ? starting.followingPrimary(source.ids()) : starting;
        return superblock.withFlag(MetadataFlag.CONSISTENT, false).withFlag(MetadataFlag.WAS_UP_TO_DATE, false)
            .withFlag(MetadataFlag.FOLLOWS_PRIMARY, follows).withFlag(MetadataFlag.ACKED_AS_PRIMARY, acked)
            .withFollowedFrom(follows ? followedFrom(superblock, next) : 0).withGenerationIds(next);
    }

    /**
     * The generation a copy that now follows the Primary's generation {@code next} held in full before (0 if it took
     * none: the Primary's was its own): what a forced promotion of this partial copy moved on from (RoleChanges).
     * Kept from an earlier follow.
     */
    private static long followedFrom(Superblock superblock, GenerationIds next) {
        long base = superblock.has(MetadataFlag.FOLLOWS_PRIMARY) && superblock.followedFrom() != 0
            ? superblock.followedFrom() : GenerationIds.mask(superblock.generationIds().current());
        return base != 0 && base != GenerationIds.mask(next.current()) ? base : 0;
    }

    /**
     * Whether the target, from the start of its resync from {@code source}, carries the source's generation ({@link
     * GenerationIds#followingPrimary}) rather than the resync's id: when the source is Primary (its writes of that
     * generation come here from now on), or when this node already followed a Primary and the source holds that
     * generation or a later one (what it holds of it is kept known).
     */
    private static boolean follows(Superblock superblock, VolumeReport source) {
        if (source.role() == Role.PRIMARY) {
            return true;
        }
        long ours = superblock.generationIds().current();
        return superblock.has(MetadataFlag.FOLLOWS_PRIMARY) && (GenerationIds.mask(source.ids().current())
            == GenerationIds.mask(ours) || source.ids().descendsFrom(ours));
    }

    /** Runs on I/O threads before each write: the first write after a peer was lost starts a new generation. */
    void startGenerationIfPending() {
        if (!state.newGenerationBeforeWrite) {
            return;
        }
        state.scheduler.call(() -> {
            if (state.newGenerationBeforeWrite && state.role == Role.PRIMARY) {
                startNewGeneration();
            }
            return null;
        });
    }

    /**
     * A write of this Primary completed: since its promotion it holds an acknowledged write ({@code ACKED_AS_PRIMARY},
     * recorded once per promotion; {@link RoleChanges} clears it when promoting). Any thread; the record is the
     * owner's.
     */
    void writeAcknowledged() {
        if (state.ackedAsPrimary) {
            return;
        }
        state.ackedAsPrimary = true;
        scheduler.execute(() -> {
            for (VolumeRuntime volume : volumes) {
                Superblock now = volume.disk().map(d -> d.backing().metadata().current()).orElse(null);
                if (state.role == Role.PRIMARY && now != null && !now.has(MetadataFlag.ACKED_AS_PRIMARY)) {
                    state.disk.writeMetadata(volume, superblock -> superblock.withFlag(MetadataFlag.ACKED_AS_PRIMARY,
                        true));
                }
            }
        });
    }

    /** A Primary writes without some peer from now on: a new generation, rotated into the unreachable slots. */
    void startNewGeneration() {
        state.newGenerationBeforeWrite = false;
        for (VolumeRuntime volume : volumes) {
            if (volume.disk().isPresent()) {
                state.disk.writeMetadata(volume, superblock -> superblock.withGenerationIds(superblock.generationIds()
                    .newCurrent(random, true, unreachableSlots(superblock))));
            }
        }
        reportToPeers(false);
    }

    /** The peer slots whose peers are not connected: their bitmaps start recording this generation's writes. */
    PeerSlots unreachableSlots(Superblock superblock) {
        return slotsMissing(superblock, -1);
    }

    /** The slots of peers that are not replicating here, or (bit clear in {@code reached}) not reached otherwise. */
    private PeerSlots slotsMissing(Superblock superblock, long reached) {
        List<Integer> slots = new ArrayList<>();
        List<PeerSlot> assigned = superblock.peers();
        for (int slot = 0; slot < assigned.size(); slot++) {
            int nodeId = assigned.get(slot).nodeId();
            PeerRuntime runtime = nodeId >= 0 && nodeId < peersByNode.length ? peersByNode[nodeId] : null;
            if (runtime == null || !runtime.replicating || (nodeId < 64 && (reached & (1L << nodeId)) == 0)) {
                slots.add(slot);
            }
        }
        return PeerSlots.of(slots.stream().mapToInt(Integer::intValue).toArray());
    }
}

package io.replicator.core.resource;

import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.config.ConnectionConfig;
import io.replicator.core.config.HostConfig;
import io.replicator.core.config.NetConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.config.VolumeConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.replication.PeerNetwork;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.state.Role;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * What one resource on this node is made of and what its owner lane owns, shared by the parts that act on it.
 *
 * <p>{@link ResourceConductor} is the resource's face (commands in, outcomes out); the work is done by parts named
 * for what they decide or carry out, each holding this object: {@link RoleChanges} (promotion, demotion),
 * {@link Connections} (connect, disconnect, a lost peer), {@link ConnectHandshake} (the reports exchanged at
 * connect and the sync decision), {@link Generations} (when a data generation starts, which bits are marked for
 * whom), {@link ResyncCoordinator}, {@link SyncMessages} and {@link ResyncCommands} (resync),
 * {@link VerifyCoordinator} (online verify), {@link QuorumKeeper} (quorum), {@link StatusSnapshot} (what status shows), and the edges that touch
 * the outside: {@link DiskEdge} (metadata and bitmap writes, I/O errors), {@link HandlerEnvironment} (handler runs),
 * {@link LocalReplicaTarget} (a Secondary's disk writes), {@link TransferLogOutbox} (sends and marks of the transfer
 * log), {@link PeerEventHandler} (what a peer's link reports).
 *
 * <h2>Threads</h2>
 * Every mutable field here is the owner lane's ({@link ResourceScheduler}): only work running on it changes them.
 * The exceptions are written at each field: {@code newGenerationBeforeWrite}, {@code userPausedSync} and
 * {@code resyncActivity} are read by I/O and background threads, {@code lastWrite} written by receive threads
 * (volatile); the collections are fixed at
 * construction or concurrent where other threads read them. See the package documentation for the whole map.
 */
final class ResourceState {
    final ResourceConfig config;
    final HostConfig self;
    final VolumeOpener opener;
    final HandlerInvoker handlers;
    final RandomGenerator random;
    final ResourceScheduler scheduler;
    final PeerNetwork network;
    /** Peers by name, in configuration order; fixed at construction. */
    final Map<String, PeerRuntime> peers = new LinkedHashMap<>();
    /** The same peers by node id; fixed at construction, read by any thread. */
    final PeerRuntime[] peersByNode = new PeerRuntime[GenerationIds.MAX_PEERS];
    /** Volumes in configuration order; the list is fixed at construction, read by any thread. */
    final List<VolumeRuntime> volumes = new ArrayList<>();
    final List<Consumer<ResourceConductor>> listeners = new CopyOnWriteArrayList<>();
    /** The data path of each volume while Primary, by volume number. */
    final Map<Integer, VolumeIo> served = new LinkedHashMap<>();
    /** Where the last verify of each volume stopped, so that a verify without a start resumes there. */
    final Map<Integer, Long> verifyPositions = new HashMap<>();
    final TransferLog transferLog;

    boolean up;
    Role role = Role.SECONDARY;
    /**
     * Whether a write of this node completed since its last promotion ({@code ACKED_AS_PRIMARY}): set by the thread
     * that completes it, cleared at promotion. Any thread.
     */
    volatile boolean ackedAsPrimary;
    /** Set when a Primary lost a replicating peer; the next write starts a new generation first. I/O threads read. */
    volatile boolean newGenerationBeforeWrite;
    /** The last write applied here from a Primary; receive threads write it, the owner reads it for reports. */
    volatile LastWrite lastWrite = LastWrite.NONE;
    /** Where {@link #lastWrite} outlives a process crash; set before {@code up}. */
    volatile LastWriteMemo lastWriteMemo = LastWriteMemo.NONE;
    /**
     * Peers that completed a handshake since this node's data became suspect ({@code UNCLEAN_RESTART}: a machine crash
     * may have lost unflushed writes, or a resync copied such data here): each is told once, at its own handshake;
     * the flag is cleared when all are. Owner lane.
     */
    final Set<Integer> toldUnclean = new HashSet<>();
    /** {@code pause-sync} on this node; the background lane reads it. */
    volatile boolean userPausedSync;
    /** Answers resync-after's question: is device (resource, volume) of this node resyncing? */
    volatile BiPredicate<String, Integer> resyncActivity;
    /** When the background lane last wrote out the bitmap pages a resync cleared. Background lane only. */
    long lastLazyWriteout;

    final DiskEdge disk;
    final HandlerEnvironment handlerEnv;
    final QuorumKeeper quorum;
    final Generations generations;
    final RoleChanges roles;
    final Connections connections;
    final ConnectHandshake handshake;
    final PromotionVote vote;
    /** Whether writes enter, wait or fail (suspend-io, fencing, quorum); read by the data path. */
    final WriteAdmission admission = new WriteAdmission();
    final FencingKeeper fencing;
    /** How long a promotion waits for its voters' answers ({@code timeout}, or {@code ping-timeout} if longer). */
    private final long voteTimeoutMs;
    final ResyncCoordinator resync;
    final ResyncTriggers resyncTriggers;
    final ResyncCommands resyncCommands;
    final SyncMessages syncMessages;
    final VerifyCoordinator verifier;
    final StatusSnapshot status;
    final LocalReplicaTarget replicaTarget;
    /** The conductor whose listeners hear of changes; set once by it. */
    ResourceConductor conductor;

    ResourceState(ResourceConfig config, String node, VolumeOpener opener, HandlerInvoker handlers,
                  RandomGenerator random, PeerNetwork network, ResourceScheduler scheduler) {
        this.config = config;
        this.scheduler = scheduler;
        this.network = network;
        this.self = config.host(node).orElseThrow(() -> new IllegalArgumentException("resource " + config.name()
            + " has no host " + node));
        this.opener = opener;
        this.handlers = handlers;
        this.random = random;
        this.lastLazyWriteout = scheduler.nanoTime();
        int lossDetectionSeconds = lossDetectionSeconds(config.connectionsOf(node));
        for (VolumeConfig volume : self.volumes()) {
            volumes.add(new VolumeRuntime(volume, lossDetectionSeconds));
        }
        NetConfig firstNet = NetConfig.DEFAULT;
        for (ConnectionConfig connection : config.connectionsOf(node)) {
            HostConfig peer = config.host(connection.peerOf(node)).orElseThrow();
            PeerRuntime runtime = new PeerRuntime(peer, connection,
                self.volumes().stream().map(VolumeConfig::number).toList());
            peers.put(peer.name(), runtime);
            peersByNode[peer.nodeId()] = runtime;
            if (peers.size() == 1) {
                firstNet = connection.net();
            }
        }
        this.transferLog = new TransferLog(new TransferLogOutbox(this), firstNet.maxEpochSize(),
            peers.values().stream().map(PeerRuntime::nodeId).toList(), scheduler::nanoTime, scheduler.wallMicros());
        this.disk = new DiskEdge(this);
        this.handlerEnv = new HandlerEnvironment(this);
        this.quorum = new QuorumKeeper(this);
        this.fencing = new FencingKeeper(this);
        this.generations = new Generations(this);
        this.roles = new RoleChanges(this);
        this.voteTimeoutMs = Math.max(firstNet.timeoutMs(), firstNet.pingTimeoutMs());
        this.vote = new PromotionVote(this, voteTimeoutMs);
        this.connections = new Connections(this);
        this.handshake = new ConnectHandshake(this);
        this.resync = new ResyncCoordinator(this);
        this.resyncTriggers = new ResyncTriggers(this);
        this.resyncCommands = new ResyncCommands(this);
        this.syncMessages = new SyncMessages(this);
        this.verifier = new VerifyCoordinator(this);
        this.status = new StatusSnapshot(this);
        this.replicaTarget = new LocalReplicaTarget(this);
        this.resyncActivity = (resource, volume) -> resource.equals(config.name()) && resync.resyncing(volume);
        long tick = Math.max(100, firstNet.timeoutMs());
        scheduler.everyOnOwner(tick, () -> {
            transferLog.checkTimeouts();
            vote.checkTimeouts();
            quorum.checkTimeouts();
        });
        scheduler.everyInBackground(ResyncCoordinator.RESYNC_STEP_MS, resync::resyncStep);
    }

    /** Sets {@link #lastWrite}, kept in the memo too. Any thread. */
    void lastWrite(LastWrite last) {
        lastWrite = last;
        lastWriteMemo.record(last);
    }

    /** Runs the writes that waited in each served volume, in the background; those still held park again. */
    void unparkWrites() {
        for (VolumeIo io : served.values()) {
            if (io.parkedWrites() > 0) {
                scheduler.background(io::unpark);
            }
        }
    }

    long voteTimeoutMs() {
        return voteTimeoutMs;
    }

    /** The volume numbered {@code number}, if this resource has one. Any thread: the list never changes. */
    Optional<VolumeRuntime> volume(int number) {
        for (VolumeRuntime volume : volumes) {
            if (volume.config().number() == number) {
                return Optional.of(volume);
            }
        }
        return Optional.empty();
    }

    /** The bitmap slot {@code disk} keeps for node {@code nodeId}, or -1. */
    static int slotOf(AttachedDisk disk, int nodeId) {
        return disk.backing().metadata().current().slotOf(nodeId);
    }

    /** The blocks {@code disk} has marked out of sync toward node {@code peerNodeId} (0 without a slot). */
    static long dirtyBlocks(AttachedDisk disk, int peerNodeId) {
        int slot = slotOf(disk, peerNodeId);
        return slot < 0 ? 0 : disk.bitmaps().bitmap(slot).cardinality();
    }

    static long outOfSyncKiB(AttachedDisk disk, int peerNodeId) {
        return dirtyBlocks(disk, peerNodeId) * (DirtyBitmap.BLOCK_BYTES / 1024);
    }

    /**
     * Tells the listeners, from the listeners lane: never from the owner, since listeners ask for a snapshot under
     * their own locks while other threads holding those locks wait for the owner.
     */
    void notifyListeners() {
        if (quorum.enabled() || fencing.enabled()) {
            try {
                scheduler.execute(() -> { // whatever changed may have changed the count, or healed a fenced peer
                    quorum.refresh();
                    fencing.unfenceIfHealed();
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                return;
            }
        }
        scheduler.tellListeners(() -> {
            for (Consumer<ResourceConductor> listener : listeners) {
                try {
                    listener.accept(conductor);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    return; // the resource closed meanwhile: nothing left to report
                }
            }
        });
    }

    /**
     * How long a lost connection can go unnoticed, plus a margin: the longer of a ping round (ping-int +
     * ping-timeout) and a stuck write (timeout × ko-count), over every connection, in whole seconds.
     */
    static int lossDetectionSeconds(List<ConnectionConfig> connections) {
        long longestMs = 0;
        for (ConnectionConfig connection : connections) {
            NetConfig net = connection.net();
            longestMs = Math.max(longestMs, Math.max(net.pingIntMs() + net.pingTimeoutMs(),
                net.timeoutMs() * Math.max(1, net.koCount())));
        }
        return (int) Math.min(3600, longestMs / 1000 + 5);
    }
}

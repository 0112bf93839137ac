package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.replicator.core.activitylog.ActivityLog;
import io.replicator.core.config.ConnectionConfig;
import io.replicator.core.config.HostConfig;
import io.replicator.core.config.NetConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.config.VolumeConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.generation.PeerSlots;
import io.replicator.core.generation.SyncDecider;
import io.replicator.core.generation.SyncDecision;
import io.replicator.core.generation.SyncInput;
import io.replicator.core.replication.DpFlags;
import io.replicator.core.replication.PeerEvents;
import io.replicator.core.replication.PeerNetwork;
import io.replicator.core.replication.PeerPolicy;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.ReplicaTarget;
import io.replicator.core.replication.ReplicationOutbox;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.WriteRequest;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.resync.BlockDigest;
import io.replicator.core.resync.OnlineVerify;
import io.replicator.core.resync.Pacer;
import io.replicator.core.resync.RangeLock;
import io.replicator.core.resync.ResyncSource;
import io.replicator.core.resync.ResyncTargetJob;
import io.replicator.core.resync.ResyncController;
import io.replicator.core.resync.SyncProgress;
import io.replicator.core.volume.Durability;
import io.replicator.core.generation.HandshakeDecider;
import io.replicator.core.generation.HandshakeOutcome;
import io.replicator.core.generation.HandshakeSide;
import io.replicator.core.generation.SplitBrainPolicies;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.PeerSlot;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.bitmap.DirtyBitmap;
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
import io.replicator.core.state.StateChangeRefusal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * The owner of one resource on this node: its role, its volumes' disks and disk states, its connections' states and
 * generation ids. Every command runs on the resource's own thread, one at a time, so none of that state needs locks;
 * other threads call the public methods, which hand the work over and wait for its {@link Outcome}.
 *
 * <p>Local I/O errors are handled by {@code disk { on-io-error }}: {@code detach} drops the disk (Failed, then
 * Diskless), {@code call-local-io-error} and {@code pass_on} keep it; in every case the {@code local-io-error}
 * handler runs when one is configured, and the daemon goes on.
 *
 * <p>Peers: {@code connect} starts one link per configured connection through the {@link PeerNetwork}. When a link
 * is up both nodes send a {@link VolumeReport} per volume; each side compares generation ids ({@link SyncDecider},
 * logged as {@code sync decision: ...}) and sizes, and when nothing needs resyncing the connection replicates
 * (Established): the {@link TransferLog} sends every write of a Primary to it, and a Secondary applies the peer's
 * writes through its {@link ReplicaTarget}. Losing a link marks every unconfirmed write out of sync for that peer.
 */
public final class ResourceConductor implements AutoCloseable {
    private final ResourceConfig config;
    private final HostConfig self;
    private final VolumeOpener opener;
    private final HandlerInvoker handlers;
    private final RandomGenerator random;
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());

    /** The owner, background and listener lanes and the clock (threads in the daemon, one queue when simulated). */
    private final ResourceScheduler scheduler;
    private final PeerNetwork network;
    private final Map<String, PeerRuntime> peers = new LinkedHashMap<>();
    private final PeerRuntime[] peersByNode = new PeerRuntime[GenerationIds.MAX_PEERS];
    private final TransferLog transferLog;
    /** Set when a Primary lost a replicating peer; the next write starts a new generation first. */
    private volatile boolean newGenerationBeforeWrite;
    private final List<VolumeRuntime> volumes = new ArrayList<>();
    private final List<Consumer<ResourceConductor>> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, VolumeIo> served = new LinkedHashMap<>();
    private boolean up;
    private Role role = Role.SECONDARY;
    private boolean discardMyData;
    /** Answers resync-after's question: is device (resource, volume) of this node resyncing? */
    private volatile java.util.function.BiPredicate<String, Integer> resyncActivity;
    /** Bytes of application writes applied to this node's disks since the last resync step (c-min-rate). */
    /** {@code pause-sync} on this node; owner thread. */
    private volatile boolean userPausedSync;
    /** Where the last verify of each volume stopped, so that a verify without a start resumes there. */
    private final Map<Integer, Long> verifyPositions = new HashMap<>();

    public ResourceConductor(ResourceConfig config, String node, VolumeOpener opener, HandlerInvoker handlers,
                             RandomGenerator random) {
        this(config, node, opener, handlers, random, PeerNetwork.NONE);
    }

    public ResourceConductor(ResourceConfig config, String node, VolumeOpener opener, HandlerInvoker handlers,
                             RandomGenerator random, PeerNetwork network) {
        this(config, node, opener, handlers, random, network, new ThreadedScheduler(config.name()));
    }

    /** A conductor whose work runs where {@code scheduler} says (the simulation passes its own). */
    public ResourceConductor(ResourceConfig config, String node, VolumeOpener opener, HandlerInvoker handlers,
                             RandomGenerator random, PeerNetwork network, ResourceScheduler scheduler) {
        this.config = config;
        this.scheduler = scheduler;
        this.network = network;
        this.self = config.host(node).orElseThrow(() -> new IllegalArgumentException("resource " + config.name()
            + " has no host " + node));
        this.opener = opener;
        this.handlers = handlers;
        this.random = random;
        this.resyncActivity = (resource, volume) -> resource.equals(config.name()) && resyncing(volume);
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
        this.transferLog = new TransferLog(new Outbox(), firstNet.maxEpochSize(),
            peers.values().stream().map(PeerRuntime::nodeId).toList(), scheduler::nanoTime);
        long tick = Math.max(100, firstNet.timeoutMs());
        scheduler.everyOnOwner(tick, transferLog::checkTimeouts);
        scheduler.everyInBackground(RESYNC_STEP_MS, this::resyncStep);
    }

    /** DRBD's resync step: requests are planned every 100 ms. */
    private static final long RESYNC_STEP_MS = 100;
    /** How long the sync source holds back one request while c-min-rate throttles it (DRBD: 100 ms). */
    private static final long SOURCE_THROTTLE_MS = 100;
    /** Bitmap pages whose bits a resync cleared are written out at most this often (drbd.md §6, lazy writeout). */
    private static final long LAZY_BITMAP_NANOS = 2_000_000_000L;
    private long lastLazyWriteout;

    /** The resource's name. */
    public String name() {
        return config.name();
    }

    /** The configuration this conductor runs. */
    public ResourceConfig config() {
        return config;
    }

    /** This node's host section. */
    public HostConfig self() {
        return self;
    }

    /** Hears, after every command, that state may have changed (on the thread that ran the command). */
    public void addListener(Consumer<ResourceConductor> listener) {
        listeners.add(listener);
    }

    /** Stops hearing state changes. */
    public void removeListener(Consumer<ResourceConductor> listener) {
        listeners.remove(listener);
    }

    // ---- commands, each run on the owner thread ------------------------------------------------------------------

    /** {@code up}: attach every volume, then connect. Idempotent. */
    public Outcome up() {
        return run(() -> {
            up = true;
            Outcome attached = doAttach();
            if (!attached.ok()) {
                return attached;
            }
            doConnect(false);
            return Outcome.done("");
        });
    }

    /** {@code down}: demote, disconnect and detach; the resource is then unconfigured on this node. */
    public Outcome down() {
        return run(() -> {
            if (role == Role.PRIMARY) {
                Outcome demoted = doSecondary();
                if (!demoted.ok()) {
                    return demoted;
                }
            }
            stopLinks();
            Outcome detached = doDetach(true);
            up = false;
            return detached;
        });
    }

    /** {@code attach}: open every volume's disk and metadata, replaying the activity log. */
    public Outcome attach() {
        return run(() -> {
            up = true;
            return doAttach();
        });
    }

    /** {@code detach [--force]}: close every volume's disk cleanly. */
    public Outcome detach(boolean force) {
        return run(() -> doDetach(force));
    }

    /** {@code connect [--discard-my-data]}: start connecting to every peer. */
    public Outcome connect(boolean discard) {
        return run(() -> {
            up = true;
            return doConnect(discard);
        });
    }

    /** {@code disconnect}: stop talking to every peer. */
    public Outcome disconnect() {
        return run(() -> {
            if (peers.values().stream().allMatch(peer -> peer.state == ConnectionState.STANDALONE)) {
                return Outcome.refused(StateChangeRefusal.ALREADY_STANDALONE, "");
            }
            stopLinks();
            return Outcome.done("");
        });
    }

    /** {@code primary [--force]}: promote. */
    public Outcome primary(boolean force) {
        return run(() -> doPrimary(force));
    }

    /** {@code secondary}: demote. */
    public Outcome secondary() {
        return run(this::doSecondary);
    }

    /** {@code outdate}: mark the local data Outdated (fencing scripts use it); refused while connected or Primary. */
    public Outcome outdate() {
        return run(() -> {
            if (peers.values().stream().anyMatch(peer -> peer.state == ConnectionState.CONNECTED)) {
                return Outcome.refused(StateChangeRefusal.CONNECTED_OUTDATES, "");
            }
            if (role == Role.PRIMARY) {
                return Outcome.refused("State change failed: refusing to outdate the data of a Primary; "
                    + "run 'secondary' first");
            }
            for (VolumeRuntime volume : volumes) {
                if (volume.disk().isEmpty()) {
                    return Outcome.refused(StateChangeRefusal.IS_DISKLESS, "volume " + volume.config().number()
                        + " has no disk; attach it first");
                }
                if (!volume.state().isAtLeast(DiskState.OUTDATED)) {
                    return Outcome.refused(StateChangeRefusal.LOWER_THAN_OUTDATED, "");
                }
            }
            for (VolumeRuntime volume : volumes) {
                Outcome written = writeMetadata(volume, superblock -> superblock
                    .withFlag(MetadataFlag.OUTDATED, true).withFlag(MetadataFlag.WAS_UP_TO_DATE, false));
                if (!written.ok()) {
                    return written;
                }
                volume.moveTo(DiskState.OUTDATED);
            }
            return Outcome.done("");
        });
    }

    /**
     * {@code new-current-uuid [--clear-bitmap]}: start a new data generation; with {@code clearBitmap} also declare
     * every peer in sync and the data UpToDate (skipping the initial sync of fresh metadata).
     */
    public Outcome newCurrentUuid(boolean clearBitmap) {
        return run(() -> {
            for (VolumeRuntime volume : volumes) {
                if (volume.disk().isEmpty()) {
                    return Outcome.refused(StateChangeRefusal.IS_DISKLESS, "volume " + volume.config().number()
                        + " has no disk; attach it first");
                }
            }
            for (VolumeRuntime volume : volumes) {
                AttachedDisk disk = volume.disk().orElseThrow();
                if (clearBitmap) {
                    for (int slot = 0; slot < disk.bitmaps().maxPeers(); slot++) {
                        disk.bitmaps().bitmap(slot).clearAll();
                    }
                }
                Outcome written = writeMetadata(volume, superblock -> {
                    GenerationIds ids = superblock.generationIds();
                    GenerationIds next = clearBitmap
                        ? ids.clearBitmapSkipInitialSync(random, role == Role.PRIMARY)
                        : ids.newCurrent(random, role == Role.PRIMARY, unreachableSlots(superblock));
                    Superblock updated = superblock.withGenerationIds(next);
                    return clearBitmap ? upToDate(updated) : updated;
                });
                if (!written.ok()) {
                    return written;
                }
                if (clearBitmap) {
                    volume.moveTo(DiskState.UP_TO_DATE);
                }
            }
            // Connected peers adopt the new generation; with --clear-bitmap they skip the initial sync with us.
            reportToPeers(clearBitmap);
            return Outcome.done("");
        });
    }

    /**
     * {@code invalidate [--reset-bitmap=no]}: this node's data is declared out of date; it becomes SyncTarget of a
     * connected peer with UpToDate data. With {@code resetBitmap} every block is resynced, otherwise only the blocks
     * already marked (e.g. by a verify).
     */
    public Outcome invalidate(boolean resetBitmap) {
        return run(() -> startResyncCommand(false, resetBitmap));
    }

    /** {@code invalidate-remote [--reset-bitmap=no]}: the peers' data is declared out of date; this node syncs them. */
    public Outcome invalidateRemote(boolean resetBitmap) {
        return run(() -> startResyncCommand(true, resetBitmap));
    }

    private Outcome startResyncCommand(boolean asSource, boolean resetBitmap) {
        String verb = asSource ? "invalidate-remote" : "invalidate";
        if (!asSource && role == Role.PRIMARY) {
            return Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, verb + " on a Primary would make its "
                + "data Inconsistent while it is in use; demote it first");
        }
        List<PeerRuntime> chosen = new ArrayList<>();
        for (PeerRuntime peer : peers.values()) {
            if (peer.replicating && peer.sender != null) {
                chosen.add(peer);
                if (!asSource) {
                    break;
                }
            }
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
                    startAsSource(peer, volume, false);
                } else {
                    startAsTarget(peer, volume, false, peer.reports.get(number));
                }
            }
        }
        return Outcome.done("");
    }

    /**
     * {@code verify [--start S] [--stop S]}: compares this node's blocks with every connected peer's by digest
     * ({@code verify-alg}); differences are marked out of sync, not repaired. Positions are 512-byte sectors; without
     * a start the verify resumes where the last one stopped.
     */
    public Outcome verify(OptionalLong startSector, OptionalLong stopSector) {
        return run(() -> {
            List<PeerRuntime> chosen = new ArrayList<>();
            for (PeerRuntime peer : peers.values()) {
                if (peer.replicating && peer.sender != null) {
                    chosen.add(peer);
                }
            }
            if (chosen.isEmpty()) {
                return Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "verify needs a connected peer");
            }
            for (PeerRuntime peer : chosen) {
                if (digestOf(peer.connection.net().verifyAlg()) == null) {
                    return Outcome.refused("verify: no verify-alg in the net section of the connection to "
                        + peer.host.name() + "; set e.g. 'verify-alg crc32c;' on both nodes and adjust");
                }
                for (VolumeRuntime volume : volumes) {
                    VolumeSync sync = peer.sync(volume.config().number());
                    if (sync.state != ReplicationState.ESTABLISHED) {
                        return Outcome.refused("verify: volume " + volume.config().number() + " is "
                            + sync.state.drbdName() + " with " + peer.host.name());
                    }
                }
            }
            for (PeerRuntime peer : chosen) {
                for (VolumeRuntime volume : volumes) {
                    startVerify(peer, volume, startSector, stopSector);
                }
            }
            return Outcome.done("");
        });
    }

    private void startVerify(PeerRuntime peer, VolumeRuntime volume, OptionalLong startSector,
                             OptionalLong stopSector) {
        int number = volume.config().number();
        AttachedDisk disk = volume.disk().orElseThrow();
        long size = disk.data().sizeBytes();
        long start = startSector.isPresent() ? Math.min(size, startSector.getAsLong() * 512)
            : verifyPositions.getOrDefault(number, 0L);
        if (start >= size) {
            start = 0;
        }
        long stop = stopSector.isPresent() ? Math.min(size, stopSector.getAsLong() * 512) : size;
        NetConfig net = peer.connection.net();
        VolumeSync sync = peer.sync(number);
        sync.startedNanos = scheduler.nanoTime();
        long[] startedAt = {start};
        OnlineVerify[] job = new OnlineVerify[1];
        PeerSender sender = peer.sender;
        job[0] = new OnlineVerify(number, disk.bitmaps().bitmap(slotOf(disk, peer.nodeId())), disk.data(),
            digestOf(net.verifyAlg()), role == Role.PRIMARY ? rangeLock : RangeLock.NONE, pacerFor(volume, net),
            sender::sendSync, scheduler::nanoTime, Math.max(1, net.maxBuffers() / 2) * 4096L, start, stop,
            () -> scheduler.execute(() -> finishVerify(peer, volume, sync, job[0], startedAt[0])));
        sync.verify = job[0];
        sync.state = ReplicationState.VERIFY_S;
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: online verify started at sector {3,number,#}", config.name(),
            number, peer.host.name(), start / 512);
        scheduler.background(job[0]::step);
        if (start >= stop) {
            scheduler.execute(() -> finishVerify(peer, volume, sync, job[0], startedAt[0]));
        }
    }

    private void finishVerify(PeerRuntime peer, VolumeRuntime volume, VolumeSync sync, OnlineVerify job,
                              long start) {
        if (sync.verify != job) {
            return;
        }
        int number = volume.config().number();
        sync.verify = null;
        sync.state = ReplicationState.ESTABLISHED;
        long position = job.position();
        verifyPositions.put(number, position >= volume.disk().map(d -> d.data().sizeBytes()).orElse(0L) ? 0 : position);
        PeerSender sender = peer.sender;
        if (sender != null) {
            sender.sendSync(SyncMessage.of(SyncMessage.Kind.VERIFY_DONE, number, position, 0, 0));
        }
        persistBitmap(volume);
        long seconds = (scheduler.nanoTime() - sync.startedNanos) / 1_000_000_000L;
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: online verify done (total {3,number,#} sec; sectors "
            + "{4,number,#} to {5,number,#}); found {6,number,#} 4k blocks out of sync", config.name(), number, peer.host.name(), seconds, start / 512,
            position / 512, job.outOfSyncBlocks());
        if (job.outOfSyncBlocks() > 0) {
            config.handler("out-of-sync").ifPresent(command ->
                handlers.invoke("out-of-sync", command, environment(volume)));
        }
        notifyListeners();
    }

    /** {@code pause-sync}: suspends every running resync of this resource (the "user" flag). */
    public Outcome pauseSync() {
        return run(() -> setUserPause(true));
    }

    /** {@code resume-sync}: lifts {@link #pauseSync}. */
    public Outcome resumeSync() {
        return run(() -> setUserPause(false));
    }

    private Outcome setUserPause(boolean on) {
        if (userPausedSync == on) {
            return Outcome.refused(on ? "pause-sync: the resync is already paused by the user"
                : "resume-sync: the resync is not paused by the user");
        }
        userPausedSync = on;
        for (PeerRuntime peer : peers.values()) {
            PeerSender sender = peer.sender;
            for (VolumeSync sync : peer.syncs.values()) {
                ResyncTargetJob job = sync.target;
                if (job != null) {
                    scheduler.background(() -> job.pause(ResyncTargetJob.PauseReason.USER, on));
                }
                if (sender != null && sync.resyncing()) {
                    sender.sendSync(SyncMessage.of(on ? SyncMessage.Kind.PAUSE : SyncMessage.Kind.RESUME,
                        sync.volume, 0, 0, 0));
                }
                refreshPausedState(sync);
            }
        }
        return Outcome.done("");
    }

    /** The generation ids and flags of {@code volume}'s metadata, if it has a disk. */
    public Optional<Superblock> superblock(int volume) {
        return call(() -> volume(volume).flatMap(VolumeRuntime::disk).map(disk -> disk.backing().metadata().current()));
    }

    /** What {@code status} and {@code events} show: every object of the resource as it is now. */
    public ResourceStatus snapshot() {
        return call(this::buildSnapshot);
    }

    private ResourceStatus buildSnapshot() {
        List<DeviceStatus> devices = new ArrayList<>();
        boolean allUpToDate = !volumes.isEmpty();
        for (VolumeRuntime volume : volumes) {
            allUpToDate &= volume.state() == DiskState.UP_TO_DATE;
            long sizeKiB = volume.disk().map(disk -> disk.data().sizeBytes() / 1024).orElse(0L);
            devices.add(new DeviceStatus(volume.config().number(), volume.minor(), volume.state(),
                volume.config().diskless(), false, true, volume.disk().isPresent() ? volume.config().disk() : "none",
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
                boolean verifying = replication == ReplicationState.VERIFY_S || replication == ReplicationState.VERIFY_T;
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
                    sync == null ? List.of() : sync.suspended(userPausedSync),
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
        boolean mayPromote = role == Role.SECONDARY && allUpToDate;
        // DRBD scores promotion candidates; ours counts UpToDate volumes, so a node that can promote scores higher.
        int score = (int) volumes.stream().filter(v -> v.state() == DiskState.UP_TO_DATE).count() * 10000;
        return new ResourceStatus(config.name(), self.nodeId(), role, List.of(), false, mayPromote, score, devices,
            connectionStatuses);
    }

    private static long outOfSyncKiB(AttachedDisk disk, int peerNodeId) {
        return dirtyBlocks(disk, peerNodeId) * (DirtyBitmap.BLOCK_BYTES / 1024);
    }

    /** The blocks {@code disk} has marked out of sync toward node {@code peerNodeId} (0 without a slot). */
    private static long dirtyBlocks(AttachedDisk disk, int peerNodeId) {
        int slot = slotOf(disk, peerNodeId);
        return slot < 0 ? 0 : disk.bitmaps().bitmap(slot).cardinality();
    }

    /** {@code ipv4:IP:PORT}, as events2 writes path addresses. */
    private static String pathAddress(String address) {
        String[] words = address.split("\\s+");
        String last = words[words.length - 1];
        return familyOf(address) + ":" + last;
    }

    /**
     * The data path of {@code volume} while this node is Primary with the volume attached; empty otherwise. The
     * object stays valid until demotion, detach or a local I/O error closes it.
     */
    public Optional<VolumeIo> io(int volume) {
        return call(() -> Optional.ofNullable(served.get(volume)));
    }

    /** Whether the resource is up on this node. */
    public boolean isUp() {
        return call(() -> up);
    }

    /** The role. */
    public Role role() {
        return call(() -> role);
    }

    /** Each volume's disk state, by volume number. */
    public Map<Integer, DiskState> diskStates() {
        return call(() -> {
            Map<Integer, DiskState> states = new LinkedHashMap<>();
            volumes.forEach(volume -> states.put(volume.config().number(), volume.state()));
            return states;
        });
    }

    /** Each peer's connection state, by peer name. */
    public Map<String, ConnectionState> connectionStates() {
        return call(() -> {
            Map<String, ConnectionState> states = new LinkedHashMap<>();
            peers.forEach((name, peer) -> states.put(name, peer.state));
            return states;
        });
    }

    /** Whether {@code connect --discard-my-data} was asked for (sent to the peer at the handshake). */
    public boolean discardMyData() {
        return call(() -> discardMyData);
    }

    /** Detaches cleanly and stops the owner thread; used when the daemon stops. */
    @Override
    public void close() {
        run(() -> {
            stopLinks();
            return doDetach(true);
        });
        scheduler.close();
    }

    // ---- the work ------------------------------------------------------------------------------------------------

    private Outcome doAttach() {
        List<String> notes = new ArrayList<>();
        for (VolumeRuntime volume : volumes) {
            if (volume.disk().isPresent() || volume.config().diskless()) {
                continue;
            }
            volume.moveTo(DiskState.ATTACHING);
            BackingDisk backing;
            try {
                backing = opener.open(volume.config());
            } catch (IOException | RuntimeException failure) {
                volume.moveTo(DiskState.DISKLESS);
                return Outcome.failed(config.name() + "/" + volume.config().number() + ": attach failed: "
                    + failure.getMessage());
            }
            try {
                AttachedDisk disk = AttachedDisk.attach(backing, volume.config().alExtents());
                volume.attached(disk, diskStateOf(disk.backing().metadata().current()));
                if (disk.replayedExtents() > 0) {
                    notes.add(config.name() + "/" + volume.config().number() + ": activity log replayed, "
                        + disk.replayedExtents() + " extent(s) marked out of sync");
                }
            } catch (IOException failure) {
                volume.moveTo(DiskState.FAILED);
                volume.detached();
                localIoError(volume, failure);
                return Outcome.failed(config.name() + "/" + volume.config().number() + ": attach failed: "
                    + failure.getMessage());
            }
        }
        return Outcome.done(String.join("\n", notes));
    }

    private Outcome doDetach(boolean force) {
        if (!force && role == Role.PRIMARY && volumes.stream().anyMatch(v -> v.disk().isPresent())) {
            return Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "this Primary has no peer with "
                + "UpToDate data to serve I/O after detaching; demote it first, or use detach --force");
        }
        List<String> problems = new ArrayList<>();
        for (VolumeRuntime volume : volumes) {
            Optional<AttachedDisk> disk = volume.disk();
            if (disk.isEmpty()) {
                continue;
            }
            stopServing(volume);
            volume.moveTo(DiskState.DETACHING);
            try {
                disk.get().close();
            } catch (IOException failure) {
                problems.add(config.name() + "/" + volume.config().number() + ": " + failure.getMessage());
            }
            volume.detached();
        }
        return problems.isEmpty() ? Outcome.done("")
            : Outcome.failed("detached, but writing the metadata failed: " + String.join("; ", problems));
    }

    private Outcome doConnect(boolean discard) {
        discardMyData = discard;
        List<String> problems = new ArrayList<>();
        for (PeerRuntime peer : peers.values()) {
            if (peer.state != ConnectionState.STANDALONE) {
                continue;
            }
            if (peer.link == null) {
                try {
                    peer.link = network.open(config.name(), peer.connection, self, peer.host,
                        new Events(peer));
                } catch (IllegalArgumentException failure) {
                    problems.add(peer.host.name() + ": " + failure.getMessage());
                    continue;
                }
            }
            peer.state = ConnectionState.CONNECTING;
            try {
                peer.link.start(discard);
            } catch (RuntimeException failure) {
                peer.state = ConnectionState.STANDALONE;
                problems.add(peer.host.name() + ": " + failure.getMessage());
            }
        }
        return problems.isEmpty() ? Outcome.done("") : Outcome.failed(config.name() + ": cannot connect to "
            + String.join("; ", problems));
    }

    /** Disconnects every peer gracefully and stops its link: StandAlone. */
    private void stopLinks() {
        for (PeerRuntime peer : peers.values()) {
            if (peer.link != null) {
                peer.link.stop();
            }
            lostPeer(peer, "disconnected by the administrator");
            peer.state = ConnectionState.STANDALONE;
        }
    }

    /**
     * How long a lost connection can go unnoticed, plus a margin: the longer of a ping round (ping-int +
     * ping-timeout) and a stuck write (timeout × ko-count), over every connection, in whole seconds.
     */
    private static int lossDetectionSeconds(List<ConnectionConfig> connections) {
        long longestMs = 0;
        for (ConnectionConfig connection : connections) {
            NetConfig net = connection.net();
            longestMs = Math.max(longestMs, Math.max(net.pingIntMs() + net.pingTimeoutMs(),
                net.timeoutMs() * Math.max(1, net.koCount())));
        }
        return (int) Math.min(3600, longestMs / 1000 + 5);
    }

    /** The connection to {@code peer} ended: unconfirmed writes become out of sync, the session is forgotten. */
    private void lostPeer(PeerRuntime peer, String reason) {
        boolean wasConnected = peer.sender != null;
        boolean wasReplicating = peer.replicating;
        boolean wasSyncing = peer.syncs.values().stream().anyMatch(sync -> sync.state != ReplicationState.ESTABLISHED);
        transferLog.peerLost(peer.nodeId());
        peer.forgetSession();
        if (wasReplicating) {
            markRecentPeerWrites(peer);
        }
        if (wasSyncing) {
            // Keep the resync's progress: the next connect resumes from the bitmap.
            volumes.forEach(this::persistBitmap);
        }
        peer.lastReason = reason;
        if (wasConnected && !volumes.isEmpty()) {
            config.handler("disconnected").ifPresent(command ->
                handlers.invoke("disconnected", command, environment(volumes.get(0), peer)));
        }
        if (wasReplicating && role == Role.PRIMARY) {
            // A Primary that writes without the peer starts a new data generation first (drbd.md §4), so that the
            // peer can tell later that it missed writes. Like DRBD, only once it writes: a peer that comes back
            // before any write finds the same generation and nothing to resync. Writes that were in flight when
            // the link went are such writes already (the transfer log marked them for the peer): then the new
            // generation starts now, or an idle Primary would meet the peer again with equal ids over copies that
            // differ.
            if (volumes.stream().anyMatch(volume -> volume.disk().map(d -> dirtyBlocks(d, peer.nodeId()) > 0)
                .orElse(false))) {
                startNewGeneration();
            } else {
                newGenerationBeforeWrite = true;
            }
        }
    }

    // ---- peers -----------------------------------------------------------------------------------------------------

    /** What a peer's link reports, handed over to the owner thread. */
    private final class Events implements PeerEvents {
        private final PeerRuntime peer;

        Events(PeerRuntime peer) {
            this.peer = peer;
        }

        @Override
        public void connected(PeerSender sender) {
            scheduler.execute(() -> {
                if (peer.state == ConnectionState.STANDALONE) {
                    sender.close("resource is StandAlone");
                    return;
                }
                peer.sender = new CountingSender(sender, peer);
                peer.state = ConnectionState.CONNECTED;
                LOG.log(System.Logger.Level.INFO, "{0}: connected to {1} ({2})", config.name(), peer.host.name(),
                    sender.remoteAddress());
                for (VolumeRuntime volume : volumes) {
                    reportOf(volume, peer, false).ifPresent(sender::sendReport);
                }
                notifyListeners();
            });
        }

        @Override
        public void report(VolumeReport report) {
            call(() -> {
                onReport(peer, report);
                return null;
            });
            notifyListeners();
        }

        @Override
        public void bitmapChunk(int volume, long fromBit, ByteBuf rle, boolean last) {
            VolumeSync sync = peer.syncs.get(volume);
            Optional<AttachedDisk> disk = volume(volume).flatMap(VolumeRuntime::disk);
            if (sync == null || !sync.resyncing() || disk.isEmpty()) {
                throw new IllegalArgumentException("bitmap of volume " + volume + " while no resync starts");
            }
            int slot = slotOf(disk.get(), peer.nodeId());
            io.replicator.core.bitmap.BitmapRle.decodeOr(rle, fromBit, disk.get().bitmaps().bitmap(slot));
            if (last) {
                call(() -> {
                    bitmapReceived(peer, volume);
                    return null;
                });
            }
        }

        @Override
        public void sync(SyncMessage message) {
            onSync(peer, message);
        }

        @Override
        public void resyncData(int volume, long offset, long id, ByteBuf data) {
            VolumeSync sync = peer.syncs.get(volume);
            ResyncTargetJob job = sync == null ? null : sync.target;
            if (job == null) {
                throw new IllegalArgumentException("resync data for volume " + volume + " while not sync target");
            }
            peer.traffic(volume).received(data.readableBytes());
            markForAbsentPeers(peer.nodeId(), volume, offset, data.readableBytes());
            try {
                job.onData(offset, id, data);
            } catch (IOException failure) {
                scheduler.execute(() -> volume(volume).ifPresent(v -> localIoError(v, failure)));
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
                peer.traffic(volume).received(data.readableBytes());
                markForAbsentPeers(peer.nodeId(), volume, offset, data.readableBytes());
                replicaTarget.write(volume, offset, data);
            }

            @Override
            public void zero(int volume, long offset, long length) throws IOException {
                markForAbsentPeers(peer.nodeId(), volume, offset, length);
                replicaTarget.zero(volume, offset, length);
            }

            @Override
            public void flush(int volume) throws IOException {
                replicaTarget.flush(volume);
            }

            @Override
            public void flushAll() throws IOException {
                replicaTarget.flushAll();
            }

            @Override
            public void markOutOfSync(int volume, long offset, long length) {
                volume(volume).flatMap(VolumeRuntime::disk).ifPresent(disk -> {
                    int slot = slotOf(disk, peer.nodeId());
                    if (slot >= 0 && offset + length <= disk.data().sizeBytes()) {
                        disk.markOutOfSync(slot, offset, length);
                    }
                });
            }
        };

        @Override
        public boolean diskFlushes() {
            return volumes.stream().allMatch(v -> v.config().diskFlushes());
        }

        @Override
        public boolean writesAreQuick() {
            return volumes.stream().noneMatch(v -> v.config().durability() == Durability.DSYNC);
        }

        @Override
        public void disconnected(String reason) {
            // At once, not after queued commands: writers waiting for this peer's acks must finish.
            transferLog.peerLost(peer.nodeId());
            scheduler.execute(() -> {
                LOG.log(System.Logger.Level.WARNING, "{0}: connection to {1} lost: {2}", config.name(),
                    peer.host.name(), reason);
                lostPeer(peer, reason);
                if (peer.state != ConnectionState.STANDALONE) {
                    peer.state = ConnectionState.CONNECTING;
                }
                notifyListeners();
            });
        }

        @Override
        public void refused(String reason) {
            transferLog.peerLost(peer.nodeId());
            scheduler.execute(() -> {
                LOG.log(System.Logger.Level.ERROR, "{0}: connection to {1} refused, going StandAlone: {2}",
                    config.name(), peer.host.name(), reason);
                lostPeer(peer, reason);
                peer.state = ConnectionState.STANDALONE;
                notifyListeners();
            });
        }

        @Override
        public TransferLog transferLog() {
            return transferLog;
        }
    }

    /** This node's report of {@code volume} for {@code peer}; empty without a disk. */
    private Optional<VolumeReport> reportOf(VolumeRuntime volume, PeerRuntime peer, boolean skipInitialSync) {
        return volume.disk().map(disk -> {
            Superblock superblock = disk.backing().metadata().current();
            int slot = superblock.slotOf(peer.nodeId());
            return new VolumeReport(volume.config().number(), superblock.generationIds(), slot,
                disk.data().sizeBytes(), role, volume.state(), superblock.has(MetadataFlag.CRASHED_PRIMARY),
                skipInitialSync, dirtyBlocks(disk, peer.nodeId()), discardMyData);
        });
    }

    /** Sends every connected peer a fresh report (after a role or generation change). */
    private void reportToPeers(boolean skipInitialSync) {
        for (PeerRuntime peer : peers.values()) {
            PeerSender sender = peer.sender;
            if (sender != null && peer.replicating) {
                for (VolumeRuntime volume : volumes) {
                    reportOf(volume, peer, skipInitialSync).ifPresent(sender::sendReport);
                }
            }
        }
    }

    /** Acts on a peer's report: the first ones decide whether the connection replicates, later ones update it. */
    private void onReport(PeerRuntime peer, VolumeReport report) {
        PeerSender sender = peer.sender;
        if (sender == null) {
            return;
        }
        Optional<VolumeRuntime> volume = volume(report.volume());
        if (volume.isEmpty()) {
            refuse(peer, "peer reported volume " + report.volume() + ", which is not configured here");
            return;
        }
        if (peer.replicating) {
            peer.reports.put(report.volume(), report);
            VolumeSync sync = peer.sync(report.volume());
            if (sync.resyncing()) {
                if (sync.source && report.disk() == DiskState.UP_TO_DATE) {
                    finishAsSource(peer, volume.get(), sync);
                }
                return;
            }
            boolean newGeneration = GenerationIds.mask(report.ids().current()) != volume.get().disk()
                .map(d -> GenerationIds.mask(d.backing().metadata().current().generationIds().current())).orElse(0L);
            if (report.skipInitialSync() || (newGeneration && report.role() == Role.PRIMARY
                && volume.get().state() == DiskState.UP_TO_DATE)) {
                // The Primary started a new generation while we replicate from it (--clear-bitmap, or after it
                // lost another peer): we hold the same data, so we carry the same generation.
                adoptGeneration(volume.get(), report);
                reportToPeers(false);
            }
            return;
        }
        peer.reports.put(report.volume(), report);
        if (peer.reports.size() < volumes.size()) {
            return;
        }
        Map<VolumeRuntime, SyncDecision> decisions = new LinkedHashMap<>();
        for (VolumeRuntime local : volumes) {
            VolumeReport reported = peer.reports.get(local.config().number());
            Optional<String> problem = establishProblem(peer, local, reported);
            if (problem.isPresent()) {
                refuse(peer, problem.get());
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
                refuse(peer, "volume " + local.config().number() + ": " + outcome.explanation());
                return;
            }
            problem = decisionProblem(peer, local, outcome.decision());
            if (problem.isPresent()) {
                refuse(peer, problem.get());
                return;
            }
            Optional<PeerRuntime> busy = syncingAsTargetWith(local.config().number(), peer);
            if (outcome.decision().isSyncTarget() && busy.isPresent()) {
                // One source at a time: two sources would each finish on their own and declare the data UpToDate
                // while the other still copies. Come back once this resync is done (then, most likely, no-sync).
                String reason = "volume " + local.config().number() + " is resyncing from " + busy.get().host.name()
                    + "; connecting to " + peer.host.name() + " again afterwards";
                LOG.log(System.Logger.Level.INFO, "{0}: {1}", config.name(), reason);
                sender.close(reason);
                return;
            }
            decisions.put(local, outcome.decision());
        }
        peer.replicating = true;
        transferLog.addPeer(peer.nodeId(), PeerPolicy.of(peer.connection.net()));
        if (peers.values().stream().allMatch(p -> p.replicating)) {
            newGenerationBeforeWrite = false;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: replicating with {1} (protocol {2})", config.name(),
            peer.host.name(), peer.connection.net().protocol());
        decisions.forEach((local, decision) -> {
            if (decision.isSyncSource()) {
                startAsSource(peer, local, decision.needsFullSync());
            } else if (decision.isSyncTarget()) {
                startAsTarget(peer, local, decision.needsFullSync(), peer.reports.get(local.config().number()));
            } else {
                clearCrashedPrimary(local);
                releaseBitmapIdOfSameGeneration(peer, local);
            }
        });
    }

    /** Why {@code local} cannot replicate with the peer's {@code report} at all, if it cannot. */
    private Optional<String> establishProblem(PeerRuntime peer, VolumeRuntime local, VolumeReport report) {
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
        if (role == Role.PRIMARY && report.role() == Role.PRIMARY && !peer.connection.net().allowTwoPrimaries()) {
            return Optional.of("both nodes are Primary and allow-two-primaries is off");
        }
        return Optional.empty();
    }

    /**
     * The connect-time handshake for {@code local} (drbd.md §4–§5): the id comparison, the disk-state override, the
     * split-brain policies and rr-conflict ({@link HandshakeDecider}), then {@code --discard-my-data} reversing a
     * plain resync ("reverting to older data"). Both nodes compute it from the same two reports, so they agree.
     * Handlers the outcome names run here; the decision is logged as {@code sync decision: ...}.
     */
    private HandshakeOutcome handshake(PeerRuntime peer, VolumeRuntime local, VolumeReport report) {
        AttachedDisk disk = local.disk().orElseThrow();
        Superblock superblock = disk.backing().metadata().current();
        int slot = slotOf(disk, peer.nodeId());
        SyncInput selfInput = new SyncInput(superblock.generationIds(), slot, role == Role.PRIMARY,
            superblock.has(MetadataFlag.CRASHED_PRIMARY), false, false, self().nodeId() < peer.nodeId());
        SyncInput peerInput = new SyncInput(report.ids(), report.peerSlot(), report.role() == Role.PRIMARY,
            report.crashedPrimary(), false, false, peer.nodeId() < self().nodeId());
        HandshakeSide selfSide = new HandshakeSide(selfInput, local.state(), dirtyBlocks(disk, peer.nodeId()),
            discardMyData);
        HandshakeSide peerSide = new HandshakeSide(peerInput, report.disk(), report.dirtyBlocks(),
            report.discardMyData());
        HandshakeOutcome outcome = HandshakeDecider.decide(selfSide, peerSide,
            SplitBrainPolicies.of(peer.connection.net(), self.name()));
        SyncDecision decision = outcome.decision();
        if (outcome.action() == HandshakeOutcome.Action.PROCEED && discardMyData != report.discardMyData()
            && (discardMyData ? decision.isSyncSource() : decision.isSyncTarget())) {
            SyncDecision reversed = decision.mirror();
            LOG.log(System.Logger.Level.WARNING, "{0}/{1} with {2}: {3}; reverting to older data: {4} asked "
                + "--discard-my-data", config.name(), local.config().number(), peer.host.name(), decision.logLine(),
                discardMyData ? self.name() : peer.host.name());
            outcome = new HandshakeOutcome(reversed, outcome.action(), outcome.handlers(), outcome.explanation()
                + "; reversed by --discard-my-data");
        }
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: {3}", config.name(), local.config().number(),
            peer.host.name(), outcome.explanation());
        for (HandshakeOutcome.Handler handler : outcome.handlers()) {
            if (handler == HandshakeOutcome.Handler.DEMOTE_ELSE_PRI_LOST_AFTER_SB) {
                if (!doSecondary().ok()) {
                    runHandler("pri-lost-after-sb", local);
                }
            } else {
                runHandler(handler.handlerName(), local);
            }
        }
        return outcome;
    }

    private void runHandler(String name, VolumeRuntime volume) {
        config.handler(name).ifPresent(command -> handlers.invoke(name, command, environment(volume)));
    }

    /** Why the decision cannot be carried out, if it cannot (unrelated data, split brain, a Primary as target). */
    private Optional<String> decisionProblem(PeerRuntime peer, VolumeRuntime local, SyncDecision decision) {
        int number = local.config().number();
        if (decision instanceof SyncDecision.UnrelatedData) {
            return Optional.of("volume " + number + ": unrelated data, aborting (" + decision.logLine() + ")");
        }
        if (decision instanceof SyncDecision.SplitBrain) {
            return Optional.of("volume " + number + ": split brain detected, dropping the connection ("
                + decision.logLine() + "); recover with 'connect --discard-my-data' on the node whose changes "
                + "are to be discarded");
        }
        return Optional.empty();
    }

    // ---- resync and verify (drbd.md §7) --------------------------------------------------------------------------

    /**
     * This node becomes sync source of {@code local} for {@code peer}: the resync's id is recorded as the bitmap id
     * for the peer (so a cut resync resumes from the bitmap), a full sync marks every block, and our bitmap goes to
     * the peer; the resync runs once the peer's bitmap came back ({@link #bitmapReceived}).
     */
    private void startAsSource(PeerRuntime peer, VolumeRuntime local, boolean full) {
        AttachedDisk disk = local.disk().orElseThrow();
        int slot = slotOf(disk, peer.nodeId());
        VolumeSync sync = peer.sync(local.config().number());
        sync.source = true;
        sync.startedNanos = scheduler.nanoTime();
        sync.state = ReplicationState.WF_BIT_MAP_S;
        if (full) {
            disk.bitmaps().bitmap(slot).setAll();
        }
        writeMetadata(local, superblock -> {
            GenerationIds ids = superblock.generationIds();
            return superblock.withGenerationIds(ids.withBitmapId(slot, syncId(ids, slot)));
        });
        persistBitmap(local);
        config.handler("before-resync-source").ifPresent(command ->
            handlers.invoke("before-resync-source", command, environment(local, peer)));
        sendBitmap(peer, local, slot);
    }

    /**
     * This node becomes sync target of {@code local}: its data is Inconsistent from now on (on disk too), its
     * current id becomes the resync's id, a full sync marks every block, and our bitmap goes to the source.
     */
    private void startAsTarget(PeerRuntime peer, VolumeRuntime local, boolean full, VolumeReport sourceReport) {
        AttachedDisk disk = local.disk().orElseThrow();
        int slot = slotOf(disk, peer.nodeId());
        VolumeSync sync = peer.sync(local.config().number());
        sync.source = false;
        sync.startedNanos = scheduler.nanoTime();
        sync.state = ReplicationState.WF_BIT_MAP_T;
        config.handler("before-resync-target").ifPresent(command ->
            handlers.invoke("before-resync-target", command, environment(local, peer)));
        if (full) {
            disk.bitmaps().bitmap(slot).setAll();
        }
        long syncId = syncId(sourceReport.ids(), sourceReport.peerSlot());
        PeerSlots others = otherUnreachableSlots(disk.backing().metadata().current(), peer.nodeId());
        writeMetadata(local, superblock -> superblock.withFlag(MetadataFlag.CONSISTENT, false)
            .withFlag(MetadataFlag.WAS_UP_TO_DATE, false)
            .withGenerationIds(superblock.generationIds().resyncStartingAsTarget(others, syncId)));
        persistBitmap(local);
        if (local.state() != DiskState.INCONSISTENT) {
            local.moveTo(DiskState.INCONSISTENT);
        }
        PeerSender sender = peer.sender;
        if (sender != null) {
            reportOf(local, peer, false).ifPresent(sender::sendReport);
        }
        sendBitmap(peer, local, slot);
    }

    /** The resync's id: the source's bitmap id for the target, or its current id when that slot is empty. */
    private static long syncId(GenerationIds sourceIds, int sourceSlotForTarget) {
        long bitmap = GenerationIds.mask(sourceIds.bitmap(sourceSlotForTarget));
        return bitmap != 0 ? bitmap : GenerationIds.mask(sourceIds.current());
    }

    private void sendBitmap(PeerRuntime peer, VolumeRuntime local, int slot) {
        PeerSender sender = peer.sender;
        if (sender == null) {
            return;
        }
        sender.sendBitmap(local.config().number(), local.disk().orElseThrow().bitmaps().bitmap(slot));
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: sent bitmap ({3,number,#} KiB marked)", config.name(),
            local.config().number(), peer.host.name(), outOfSyncKiB(local.disk().orElseThrow(), peer.nodeId()));
    }

    /**
     * The peer's last bitmap chunk came: both sides now hold the union of the two bitmaps, and the resync runs. On
     * the owner thread, called synchronously from the receive thread so that requests after the bitmap find it.
     */
    private void bitmapReceived(PeerRuntime peer, int number) {
        VolumeSync sync = peer.syncs.get(number);
        Optional<VolumeRuntime> local = volume(number);
        PeerSender sender = peer.sender;
        if (sync == null || !sync.resyncing() || local.isEmpty() || local.get().disk().isEmpty() || sender == null) {
            return;
        }
        AttachedDisk disk = local.get().disk().get();
        int slot = slotOf(disk, peer.nodeId());
        NetConfig net = peer.connection.net();
        long maxInFlight = Math.max(1, net.maxBuffers() / 2) * 4096L;
        if (sync.source) {
            sync.sourceSide = new io.replicator.core.resync.ResyncSource(number, disk.bitmaps().bitmap(slot),
                disk.data(), rangeLock, sender, digestOf(net.csumsAlg()), scheduler::nanoTime);
            sync.state = ReplicationState.SYNC_SOURCE;
            refreshPausedState(sync);
        } else {
            // A Primary target (rr-conflict violently) writes the volume itself: answers are applied under the
            // transfer log's range hold and dropped when one of its writes overtook the request.
            ResyncTargetJob job = new ResyncTargetJob(number, disk.bitmaps().bitmap(slot), disk.data(),
                digestOf(net.csumsAlg()), pacerFor(local.get(), net), sender::sendSync, scheduler::nanoTime,
                maxInFlight, () -> scheduler.execute(() -> finishAsTarget(peer, number)),
                role == Role.PRIMARY ? rangeLock : RangeLock.NONE);
            if (userPausedSync) {
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
        if (userPausedSync) {
            sender.sendSync(SyncMessage.of(SyncMessage.Kind.PAUSE, number, 0, 0, 0));
        }
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: resync started as {3}, {4,number,#} KiB to go", config.name(),
            number, peer.host.name(), sync.source ? "SyncSource" : "SyncTarget", outOfSyncKiB(disk, peer.nodeId()));
        notifyListeners();
    }

    /** The target's job found nothing left: UpToDate, the source's ids adopted, the source told by our report. */
    private void finishAsTarget(PeerRuntime peer, int number) {
        VolumeSync sync = peer.syncs.get(number);
        Optional<VolumeRuntime> local = volume(number);
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
            persistBitmap(local.get());
            LOG.log(System.Logger.Level.ERROR, "{0}/{1} with {2}: resync finished with {3,number,#} KiB failed; the data "
                + "stays Inconsistent", config.name(), number, peer.host.name(), job.failedBytes() / 1024);
            sync.target = null;
            sync.state = ReplicationState.ESTABLISHED;
            notifyListeners();
            return;
        }
        if (syncingAsTargetWith(number, peer).isPresent()) {
            throw new IllegalStateException("volume " + number + " finished a resync from " + peer.host.name()
                + " while another runs");
        }
        Outcome written = writeMetadata(local.get(), superblock -> upToDate(superblock).withGenerationIds(
            superblock.generationIds().resyncFinishedAsTarget(slot, sourceReport.ids())));
        persistBitmap(local.get());
        if (written.ok()) {
            local.get().moveTo(DiskState.UP_TO_DATE);
        }
        sync.target = null;
        sync.state = ReplicationState.ESTABLISHED;
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: resync done as SyncTarget (total {3,number,#} sec; {4,number,#} K/sec; "
            + "{5,number,#} KiB equal by checksum)", config.name(), number, peer.host.name(), seconds,
            job.progress().averageKiBPerSec(scheduler.nanoTime()), job.sameCsumBytes() / 1024);
        config.handler("after-resync-target").ifPresent(command ->
            handlers.invoke("after-resync-target", command, environment(local.get(), peer)));
        reportToPeers(false);
        notifyListeners();
    }

    /** The target reported UpToDate: the resync is over here too; its id goes to history. */
    private void finishAsSource(PeerRuntime peer, VolumeRuntime local, VolumeSync sync) {
        AttachedDisk disk = local.disk().orElseThrow();
        int slot = slotOf(disk, peer.nodeId());
        ResyncSource side = sync.sourceSide;
        // Every requested block was acknowledged and cleared; bits still set were marked since (the peer went Ahead
        // again) and wait for the next resync.
        writeMetadata(local, superblock -> superblock.withFlag(MetadataFlag.CRASHED_PRIMARY, false)
            .withGenerationIds(superblock.generationIds().resyncFinishedAsSource(slot)));
        persistBitmap(local);
        long seconds = (scheduler.nanoTime() - sync.startedNanos) / 1_000_000_000L;
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: resync done as SyncSource (total {3,number,#} sec; {4,number,#} K/sec)",
            config.name(), local.config().number(), peer.host.name(), seconds,
            side == null ? 0 : side.progress().averageKiBPerSec(scheduler.nanoTime()));
        sync.sourceSide = null;
        sync.state = ReplicationState.ESTABLISHED;
        notifyListeners();
    }

    /** A connection that needed no resync clears the crashed-primary mark: the peer holds the same data. */
    private void clearCrashedPrimary(VolumeRuntime local) {
        local.disk().ifPresent(disk -> {
            if (disk.backing().metadata().current().has(MetadataFlag.CRASHED_PRIMARY)) {
                writeMetadata(local, superblock -> superblock.withFlag(MetadataFlag.CRASHED_PRIMARY, false));
            }
        });
    }

    /**
     * No resync with a peer of the same generation: our bitmap id for it is stale (both sides recorded changes from
     * the same older generation, and a third node brought the peer up to date), so the slot is emptied — left set,
     * it would stop the next generation from rotating into the slot. Marked blocks stay marked (DRBD's "no resync,
     * but bits in the bitmap"): the next resync with the peer copies them again, which costs time, never data.
     */
    private void releaseBitmapIdOfSameGeneration(PeerRuntime peer, VolumeRuntime local) {
        VolumeReport report = peer.reports.get(local.config().number());
        local.disk().ifPresent(disk -> {
            GenerationIds ids = disk.backing().metadata().current().generationIds();
            int slot = slotOf(disk, peer.nodeId());
            if (report == null || slot < 0 || ids.bitmap(slot) == 0 || local.state() != DiskState.UP_TO_DATE
                || report.disk() != DiskState.UP_TO_DATE
                || GenerationIds.mask(ids.current()) != GenerationIds.mask(report.ids().current())) {
                return;
            }
            writeMetadata(local, superblock -> superblock.withGenerationIds(
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
    private void markForAbsentPeers(int source, int number, long offset, long length) {
        if (peers.size() < 2) {
            // No third node: nothing to mark, nothing to remember (the common two-node case pays nothing per write).
            return;
        }
        Optional<VolumeRuntime> volume = volume(number);
        Optional<AttachedDisk> disk = volume.flatMap(VolumeRuntime::disk);
        if (disk.isEmpty() || length <= 0 || offset + length > disk.get().data().sizeBytes()) {
            return;
        }
        volume.get().writesFrom(source).record(offset, length, scheduler.nanoTime());
        Superblock superblock = disk.get().backing().metadata().current();
        for (PeerRuntime other : peersByNode) {
            if (other == null || other.nodeId() == source || other.replicating) {
                continue;
            }
            int slot = superblock.slotOf(other.nodeId());
            if (slot >= 0) {
                disk.get().markOutOfSync(slot, offset, length);
            }
        }
    }

    /**
     * {@code peer} was lost: what other peers wrote here while the loss went unnoticed may not have reached it, so
     * every extent they wrote here within the detection window is marked for it (after {@code replicating} went
     * false, so later writes are marked by {@link #markForAbsentPeers}). What the lost peer itself wrote, it has.
     */
    private void markRecentPeerWrites(PeerRuntime peer) {
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

    private void logThrottled(PeerRuntime peer, VolumeSync sync) {
        if (!sync.throttleLogged) {
            sync.throttleLogged = true;
            LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: resync held back by c-min-rate (other I/O on this "
                + "disk; the resync keeps at least c-min-rate)", config.name(), sync.volume, peer.host.name());
        }
    }

    /** c-min-rate: whether {@code sync}'s resync should hold back now, from {@code local}'s disk activity. */
    private boolean throttled(VolumeSync sync, VolumeRuntime local, SyncProgress progress) {
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

    /** Writes the bitmap pages that changed (and flushes), so a crash keeps the resync's progress. */
    private void persistBitmap(VolumeRuntime local) {
        local.disk().ifPresent(disk -> {
            try {
                disk.writeOutBitmap();
            } catch (IOException failure) {
                localIoError(local, failure);
            }
        });
    }

    /** Every 100 ms on the resync thread: each running target job and verify plans its next requests. */
    private void resyncStep() {
        try {
            boolean active = false;
            for (PeerRuntime peer : peers.values()) {
                for (VolumeSync sync : peer.syncs.values()) {
                    ResyncTargetJob job = sync.target;
                    if (job != null) {
                        active = true;
                        Optional<VolumeRuntime> local = volume(sync.volume);
                        boolean waiting = local.isPresent() && waitsForResyncAfter(local.get());
                        if (waiting != job.pauseReasons().contains(ResyncTargetJob.PauseReason.DEPENDENCY)) {
                            job.pause(ResyncTargetJob.PauseReason.DEPENDENCY, waiting);
                            sync.pausedByDependency = waiting;
                            scheduler.execute(() -> {
                                refreshPausedState(sync);
                                notifyListeners();
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
                    scheduler.execute(() -> leaveAhead(peer));
                }
            }
            long now = scheduler.nanoTime();
            if (active && now - lastLazyWriteout >= LAZY_BITMAP_NANOS) {
                lastLazyWriteout = now;
                scheduler.execute(() -> volumes.forEach(this::persistBitmap));
            }
        } catch (RuntimeException failure) {
            LOG.log(System.Logger.Level.ERROR, "{0}: resync step failed", config.name(), failure);
        }
    }

    /**
     * The congestion toward an Ahead peer has drained: writes go to it again, and what it missed meanwhile (marked in
     * our bitmap) is resynced, Ahead → SyncSource → Established as in DRBD.
     */
    private void leaveAhead(PeerRuntime peer) {
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
                startAsSource(peer, volume, false);
            }
        }
        notifyListeners();
    }

    /**
     * Whether {@code local}'s {@code resync-after} names a device of this node that is still resyncing: then its own
     * resync waits (PausedSyncT, {@code resync-suspended:dependency}).
     */
    private boolean waitsForResyncAfter(VolumeRuntime local) {
        Optional<String> after = local.config().resync().resyncAfter();
        if (after.isEmpty() || after.get().isBlank() || after.get().equals("-1")) {
            return false;
        }
        String[] parts = after.get().split("/", 2);
        int volume = parts.length > 1 ? parseVolume(parts[1]) : 0;
        return resyncActivity.test(parts[0], volume);
    }

    private static int parseVolume(String text) {
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

    /**
     * Tells this resource how to ask whether another device of the node resyncs ({@code resync-after}): the daemon
     * passes a lookup over all its resources.
     */
    public void resyncActivity(java.util.function.BiPredicate<String, Integer> activity) {
        this.resyncActivity = activity;
    }

    /** The transfer log holds ranges against application writes while a resync or verify reads them. */
    private final RangeLock rangeLock = new RangeLock() {
        @Override
        public void lock(int volume, long offset, long length) throws InterruptedException {
            transferLog.lockRange(volume, offset, length);
        }

        @Override
        public void unlock(int volume, long offset, long length) {
            transferLog.unlockRange(volume, offset, length);
        }
    };

    private static BlockDigest digestOf(Optional<String> algorithm) {
        return algorithm.filter(name -> !name.isBlank()).map(BlockDigest::of).orElse(null);
    }

    /** How fast a resync or verify of {@code local} may request: DRBD's fixed rate or dynamic controller. */
    private static Pacer pacerFor(VolumeRuntime local, NetConfig net) {
        return new ResyncController(local.config().resync(), net.maxBuffers())::bytesToRequest;
    }

    /** The peer slots of peers other than {@code except} that are not connected. */
    private PeerSlots otherUnreachableSlots(Superblock superblock, int except) {
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

    /** A data-stream or control-stream sync message from {@code peer}. */
    private void onSync(PeerRuntime peer, SyncMessage message) {
        VolumeSync sync = peer.syncs.get(message.volume());
        Optional<VolumeRuntime> local = volume(message.volume());
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
                if (peer.peerRole() != Role.PRIMARY && throttled(sync, local.get(), side.progress())) {
                    logThrottled(peer, sync);
                    // c-min-rate on the source, as DRBD: the application is busy on this disk and the resync runs
                    // above its minimum, so serving this request waits 100 ms (not for a Primary target, whose own
                    // writes wait for the resync).
                    scheduler.holdBack(SOURCE_THROTTLE_MS);
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
                    notifyListeners();
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
                    persistBitmap(local.get());
                    LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: online verify done (as VerifyT); {3,number,#} KiB "
                        + "marked out of sync", config.name(), message.volume(), peer.host.name(),
                        outOfSyncKiB(local.get().disk().get(), peer.nodeId()));
                    notifyListeners();
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
                    refreshPausedState(sync);
                    notifyListeners();
                });
            }
            case BECOME_SOURCE, BECOME_TARGET -> call(() -> {
                if (sync.state == ReplicationState.ESTABLISHED && peer.replicating) {
                    VolumeReport report = peer.reports.get(message.volume());
                    if (message.kind() == SyncMessage.Kind.BECOME_SOURCE) {
                        startAsSource(peer, local.get(), false);
                    } else if (report != null) {
                        startAsTarget(peer, local.get(), false, report);
                    }
                    notifyListeners();
                }
                return null;
            });
            default -> throw new IllegalArgumentException("unexpected " + message.kind());
        }
    }

    /** The other peer this node is sync target of for {@code volume}, if any. */
    private Optional<PeerRuntime> syncingAsTargetWith(int volume, PeerRuntime except) {
        for (PeerRuntime other : peers.values()) {
            VolumeSync sync = other == except ? null : other.syncs.get(volume);
            if (sync != null && sync.resyncing() && !sync.source) {
                return Optional.of(other);
            }
        }
        return Optional.empty();
    }

    /** Shows PausedSync* while any pause flag (ours or the peer's) holds a running resync. */
    private void refreshPausedState(VolumeSync sync) {
        boolean paused = userPausedSync || sync.pausedByPeer || sync.pausedByDependency;
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

    /** Drops the connection to {@code peer} for good: StandAlone, with {@code reason} logged. */
    private void refuse(PeerRuntime peer, String reason) {
        LOG.log(System.Logger.Level.ERROR, "{0}: not replicating with {1}: {2}", config.name(), peer.host.name(),
            reason);
        if (peer.link != null) {
            peer.link.stop();
        }
        lostPeer(peer, reason);
        peer.state = ConnectionState.STANDALONE;
    }

    /**
     * The replicating peer started a new generation: adopt it. With {@code --clear-bitmap} (skip the initial sync)
     * both copies are declared identical: bitmaps cleared, UpToDate; otherwise the Primary moved on while this node
     * kept receiving every write, so only the current id changes: the old one goes into the bitmap slots of peers
     * that are away (their changes are recorded from here on, {@link #markForAbsentPeers}) or else to history.
     */
    private void adoptGeneration(VolumeRuntime volume, VolumeReport report) {
        volume.disk().ifPresent(disk -> {
            boolean skip = report.skipInitialSync();
            if (skip) {
                for (int slot = 0; slot < disk.bitmaps().maxPeers(); slot++) {
                    disk.bitmaps().bitmap(slot).clearAll();
                }
            }
            writeMetadata(volume, superblock -> {
                GenerationIds ids = superblock.generationIds();
                GenerationIds moved = skip ? ids.clearBitmapSkipInitialSync(random, role == Role.PRIMARY)
                    : ids.newCurrent(random, role == Role.PRIMARY, unreachableSlots(superblock));
                Superblock updated = superblock.withGenerationIds(moved.adoptingCurrent(report.ids().current(),
                    role == Role.PRIMARY));
                return skip ? upToDate(updated) : updated;
            });
            if (skip && volume.state() != DiskState.UP_TO_DATE) {
                volume.moveTo(DiskState.UP_TO_DATE);
            }
        });
    }

    /** The bitmap slot {@code disk} keeps for node {@code nodeId}, or -1. */
    private static int slotOf(AttachedDisk disk, int nodeId) {
        return disk.backing().metadata().current().slotOf(nodeId);
    }

    /** The volume numbered {@code number}, if this resource has one. Any thread: the list never changes. */
    private Optional<VolumeRuntime> volume(int number) {
        for (VolumeRuntime volume : volumes) {
            if (volume.config().number() == number) {
                return Optional.of(volume);
            }
        }
        return Optional.empty();
    }

    /** How a Secondary writes what its Primary replicates: straight to the data area. */
    private final ReplicaTarget replicaTarget = new ReplicaTarget() {
        @Override
        public void write(int volume, long offset, ByteBuf data) throws IOException {
            AttachedDisk disk = disk(volume);
            disk.countForeignIo(data.readableBytes());
            disk.data().write(data, offset);
        }

        @Override
        public void zero(int volume, long offset, long length) throws IOException {
            AttachedDisk disk = disk(volume);
            disk.countForeignIo(length);
            disk.data().discard(offset, length);
        }

        @Override
        public void flush(int volume) throws IOException {
            disk(volume).data().flush();
        }

        @Override
        public void flushAll() throws IOException {
            for (VolumeRuntime volume : volumes) {
                Optional<AttachedDisk> disk = volume.disk();
                if (disk.isPresent()) {
                    disk.get().data().flush();
                }
            }
        }

        @Override
        public void markOutOfSync(int volume, long offset, long length) {
            // Behind: the Primary changed the range and did not send it; nothing to record toward the Primary's
            // slot beyond what the Primary itself records (resync copies it from there).
        }

        private AttachedDisk disk(int number) throws IOException {
            VolumeRuntime volume = volume(number)
                .orElseThrow(() -> new IOException("volume " + number + " is not configured here"));
            return volume.disk().orElseThrow(() -> new IOException("volume " + number + " has no disk"));
        }
    };

    /** The transfer log's actions: frames to the peers' senders, marks to the local bitmaps. */
    private final class Outbox implements ReplicationOutbox {
        @Override
        public void sendWrite(int peer, WriteRequest request, int dpFlags) {
            PeerRuntime runtime = peersByNode[peer];
            if (runtime != null && !runtime.syncs.isEmpty()) {
                VolumeSync sync = runtime.syncs.get(request.volume());
                ResyncTargetJob job = sync == null ? null : sync.target;
                if (job != null) {
                    job.applicationWrite(request.offset(), request.length());
                }
            }
            PeerSender sender = senderOf(peer);
            if (sender != null) {
                boolean protocolA = (dpFlags & (DpFlags.SEND_RECEIVE_ACK | DpFlags.SEND_WRITE_ACK)) == 0;
                // Only protocol A completes on the hand-over; for B and C the callback would only cost a lock.
                sender.sendWrite(request, dpFlags, protocolA ? () -> transferLog.handedOver(peer, request.id()) : null);
            }
        }

        @Override
        public void sendBarrier(int peer, int epoch) {
            PeerSender sender = senderOf(peer);
            if (sender != null) {
                sender.sendBarrier(epoch);
            }
        }

        @Override
        public void sendOutOfSync(int peer, int volume, long offset, long length) {
            PeerSender sender = senderOf(peer);
            if (sender != null) {
                sender.sendOutOfSync(volume, offset, length);
            }
        }

        @Override
        public void markOutOfSync(int peer, int volume, long offset, long length) {
            volume(volume).flatMap(VolumeRuntime::disk).ifPresent(disk -> {
                int slot = slotOf(disk, peer);
                if (slot >= 0) {
                    disk.markOutOfSync(slot, offset, length);
                }
            });
        }

        @Override
        public void dropPeer(int peer, String reason) {
            PeerSender sender = senderOf(peer);
            if (sender != null) {
                sender.close(reason);
            }
        }

        @Override
        public void aheadChanged(int peer, boolean ahead) {
            PeerRuntime runtime = peersByNode[peer];
            if (runtime != null) {
                runtime.ahead = ahead;
            }
        }

        private PeerSender senderOf(int peer) {
            PeerRuntime runtime = peersByNode[peer];
            return runtime == null ? null : runtime.sender;
        }
    }

    /**
     * Tells the listeners, from the notifier thread: never from the owner thread, since listeners ask for a snapshot
     * under their own locks while other threads holding those locks wait for the owner thread.
     */
    private void notifyListeners() {
        scheduler.tellListeners(() -> {
            for (Consumer<ResourceConductor> listener : listeners) {
                try {
                    listener.accept(this);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    return; // the resource closed meanwhile: nothing left to report
                }
            }
        });
    }

    private Outcome doPrimary(boolean force) {
        if (role == Role.PRIMARY) {
            return Outcome.done("");
        }
        for (VolumeRuntime volume : volumes) {
            if (volume.disk().isEmpty()) {
                return Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "volume " + volume.config().number()
                    + " has no disk and no connected peer with UpToDate data");
            }
            if (volume.state() != DiskState.UP_TO_DATE && !force) {
                return Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "volume " + volume.config().number()
                    + " is " + volume.state().drbdName() + "; if this copy is the one to keep (initial setup, "
                    + "disaster recovery), promote with 'primary --force'");
            }
        }
        for (PeerRuntime peer : peers.values()) {
            if (peer.replicating && peer.peerRole() == Role.PRIMARY && !peer.connection.net().allowTwoPrimaries()) {
                return Outcome.refused(StateChangeRefusal.TWO_PRIMARIES, "peer " + peer.host.name()
                    + " is Primary");
            }
        }
        boolean somePeerAway = peers.isEmpty() || peers.values().stream().anyMatch(peer -> !peer.replicating);
        for (VolumeRuntime volume : volumes) {
            boolean wasUpToDate = volume.state() == DiskState.UP_TO_DATE;
            Outcome written = writeMetadata(volume, superblock -> {
                Superblock promoted = upToDate(superblock).withFlag(MetadataFlag.PRIMARY_IND, true);
                // Promoting while any peer is unreachable starts a new data generation, rotated into the slot of
                // every such peer (drbd.md §4, rotate_current_into_bitmap), so that each of them can tell afterwards
                // that this node wrote without it — with one peer connected and another away as much as with none.
                // Forcing data that was not UpToDate does too: it becomes the source of a full sync.
                if (somePeerAway || !wasUpToDate) {
                    promoted = promoted.withGenerationIds(superblock.generationIds()
                        .newCurrent(random, true, unreachableSlots(superblock)));
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
        role = Role.PRIMARY;
        for (VolumeRuntime volume : volumes) {
            volume.disk().ifPresent(disk -> served.put(volume.config().number(), newIo(volume, disk)));
        }
        reportToPeers(false);
        // Connected peers with Inconsistent data get everything: the initial full sync (primary --force).
        for (PeerRuntime peer : peers.values()) {
            PeerSender sender = peer.sender;
            for (VolumeRuntime volume : volumes) {
                int number = volume.config().number();
                VolumeReport report = peer.reports.get(number);
                if (sender != null && peer.replicating && report != null && report.disk() == DiskState.INCONSISTENT
                    && peer.sync(number).state == ReplicationState.ESTABLISHED) {
                    sender.sendSync(SyncMessage.of(SyncMessage.Kind.BECOME_TARGET, number, 0, 0, 0));
                    startAsSource(peer, volume, true);
                }
            }
        }
        return Outcome.done("");
    }

    private VolumeIo newIo(VolumeRuntime volume, AttachedDisk disk) {
        return new VolumeIo(config.name() + "/" + volume.config().number(), volume.config().number(), disk,
            transferLog,
            (io, failure) -> scheduler.execute(() -> {
                if (served.get(volume.config().number()) == io) {
                    localIoError(volume, failure);
                    notifyListeners();
                }
            }), this::startGenerationIfPending);
    }

    /** Runs on I/O threads before each write: the first write after a peer was lost starts a new generation. */
    private void startGenerationIfPending() {
        if (!newGenerationBeforeWrite) {
            return;
        }
        call(() -> {
            if (newGenerationBeforeWrite && role == Role.PRIMARY) {
                startNewGeneration();
            }
            return null;
        });
    }

    /** A Primary writes without some peer from now on: a new generation, rotated into the unreachable slots. */
    private void startNewGeneration() {
        newGenerationBeforeWrite = false;
        for (VolumeRuntime volume : volumes) {
            if (volume.disk().isPresent()) {
                writeMetadata(volume, superblock -> superblock.withGenerationIds(superblock.generationIds()
                    .newCurrent(random, true, unreachableSlots(superblock))));
            }
        }
        reportToPeers(false);
    }

    /** Stops serving {@code volume} (waiting for its requests in flight). */
    private void stopServing(VolumeRuntime volume) {
        VolumeIo io = served.remove(volume.config().number());
        if (io != null) {
            io.close();
        }
    }

    private Outcome doSecondary() {
        if (role == Role.SECONDARY) {
            return Outcome.done("");
        }
        volumes.forEach(this::stopServing);
        for (VolumeRuntime volume : volumes) {
            if (volume.disk().isPresent()) {
                Outcome written = writeMetadata(volume, superblock -> superblock
                    .withFlag(MetadataFlag.PRIMARY_IND, false));
                if (!written.ok()) {
                    return written;
                }
            }
        }
        role = Role.SECONDARY;
        reportToPeers(false);
        return Outcome.done("");
    }

    /** Rewrites {@code volume}'s superblock, handling a local I/O error by the configured policy. */
    private Outcome writeMetadata(VolumeRuntime volume, UnaryOperator<Superblock> change) {
        AttachedDisk disk = volume.disk().orElseThrow();
        try {
            disk.backing().metadata().write(change.apply(disk.backing().metadata().current()));
            return Outcome.done("");
        } catch (IOException failure) {
            return localIoError(volume, failure);
        }
    }

    private Outcome localIoError(VolumeRuntime volume, IOException failure) {
        String where = config.name() + "/" + volume.config().number();
        config.handler("local-io-error").ifPresent(command ->
            handlers.invoke("local-io-error", command, environment(volume)));
        switch (volume.config().onIoError()) {
            case DETACH -> {
                stopServing(volume);
                volume.disk().ifPresent(disk -> {
                    volume.moveTo(DiskState.FAILED);
                    try {
                        disk.backing().close();
                    } catch (IOException ignored) {
                        // The disk is failing; what matters is that we stop using it.
                    }
                    volume.detached();
                });
                return Outcome.failed(where + ": local I/O error (" + failure.getMessage()
                    + "); the disk was detached (on-io-error detach), the node goes on Diskless");
            }
            case CALL_LOCAL_IO_ERROR -> {
                return Outcome.failed(where + ": local I/O error (" + failure.getMessage()
                    + "); the local-io-error handler was called (on-io-error call-local-io-error)");
            }
            case PASS_ON -> {
                return Outcome.failed(where + ": local I/O error (" + failure.getMessage()
                    + "); passed on (on-io-error pass_on)");
            }
            default -> throw new IllegalStateException("unknown on-io-error " + volume.config().onIoError());
        }
    }

    /** DRBD's handler environment for {@code volume}. */
    Map<String, String> environment(VolumeRuntime volume) {
        Map<String, String> env = new HashMap<>();
        env.put("DRBD_RESOURCE", config.name());
        env.put("DRBD_VOLUME", Integer.toString(volume.config().number()));
        env.put("DRBD_MINOR", Integer.toString(volume.minor()));
        env.put("DRBD_MINOR_" + volume.config().number(), Integer.toString(volume.minor()));
        env.put("DRBD_BACKING_DEV", volume.config().disk());
        env.put("DRBD_MY_NODE_ID", Integer.toString(self.nodeId()));
        self.address().ifPresent(address -> {
            env.put("DRBD_MY_ADDRESS", hostOf(address));
            env.put("DRBD_MY_AF", familyOf(address));
        });
        List<HostConfig> peers = config.peersOf(self.name());
        if (peers.size() == 1) {
            putPeer(env, peers.get(0));
        }
        return env;
    }

    /** {@link #environment(VolumeRuntime)} for a handler about one {@code peer} (named even among several peers). */
    private Map<String, String> environment(VolumeRuntime volume, PeerRuntime peer) {
        Map<String, String> env = environment(volume);
        putPeer(env, peer.host);
        return env;
    }

    private void putPeer(Map<String, String> env, HostConfig peer) {
        env.put("DRBD_PEER_NODE_ID", Integer.toString(peer.nodeId()));
        env.put("DRBD_PEER_NAME", peer.name());
        peer.address().ifPresent(address -> {
            env.put("DRBD_PEER_ADDRESS", hostOf(address));
            env.put("DRBD_PEER_AF", familyOf(address));
        });
        PeerRuntime runtime = this.peers.get(peer.name());
        env.put("DRBD_CSTATE", (runtime == null ? ConnectionState.STANDALONE : runtime.state).drbdName());
    }

    private static String familyOf(String address) {
        String first = address.split("\\s+")[0];
        return first.equals("ipv4") || first.equals("ipv6") || first.equals("ssocks") || first.equals("sdp")
            ? first : address.contains("[") ? "ipv6" : "ipv4";
    }

    private static String hostOf(String address) {
        String[] words = address.split("\\s+");
        String last = words[words.length - 1];
        int colon = last.lastIndexOf(':');
        String host = colon > 0 ? last.substring(0, colon) : last;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The peer slots whose peers are not connected: their bitmaps start recording this generation's writes. */
    private PeerSlots unreachableSlots(Superblock superblock) {
        List<Integer> slots = new ArrayList<>();
        List<PeerSlot> assigned = superblock.peers();
        for (int slot = 0; slot < assigned.size(); slot++) {
            int nodeId = assigned.get(slot).nodeId();
            PeerRuntime runtime = nodeId >= 0 && nodeId < peersByNode.length ? peersByNode[nodeId] : null;
            if (runtime == null || !runtime.replicating) {
                slots.add(slot);
            }
        }
        return PeerSlots.of(slots.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Superblock upToDate(Superblock superblock) {
        return superblock.withFlag(MetadataFlag.CONSISTENT, true).withFlag(MetadataFlag.WAS_UP_TO_DATE, true)
            .withFlag(MetadataFlag.OUTDATED, false);
    }

    /** The disk state that metadata implies at attach, before any peer is heard from. */
    static DiskState diskStateOf(Superblock superblock) {
        if (!superblock.has(MetadataFlag.CONSISTENT)) {
            return DiskState.INCONSISTENT;
        }
        if (superblock.has(MetadataFlag.OUTDATED)) {
            return DiskState.OUTDATED;
        }
        return superblock.has(MetadataFlag.WAS_UP_TO_DATE) ? DiskState.UP_TO_DATE : DiskState.CONSISTENT;
    }

    // ---- hand-over to the owner thread ---------------------------------------------------------------------------

    private Outcome run(Callable<Outcome> command) {
        Outcome outcome = call(command);
        for (Consumer<ResourceConductor> listener : listeners) {
            listener.accept(this);
        }
        return outcome;
    }

    private <T> T call(Callable<T> work) {
        return scheduler.call(work);
    }
}

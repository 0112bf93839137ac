package io.replicator.core.resource;

import static io.replicator.core.resource.ResyncCoordinator.digestOf;

import io.replicator.core.config.HostConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.replication.PeerNetwork;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import io.replicator.core.state.StateChangeRefusal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
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
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;

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
        this.state = new ResourceState(config, node, opener, handlers, random, network, scheduler);
        state.conductor = this;
    }

    /**
     * Keeps the last write applied from a Primary in {@code memo} too, so that a crash of this process does not lose
     * it ({@link LastWriteMemo}). Before {@link #up}.
     */
    public void rememberLastWriteIn(LastWriteMemo memo) {
        state.lastWriteMemo = java.util.Objects.requireNonNull(memo, "memo");
    }

    /** The resource's name. */
    public String name() {
        return state.config.name();
    }

    /** The configuration this conductor runs. */
    public ResourceConfig config() {
        return state.config;
    }

    /** This node's host section. */
    public HostConfig self() {
        return state.self;
    }

    /** Hears, after every command, that state may have changed (on the thread that ran the command). */
    public void addListener(Consumer<ResourceConductor> listener) {
        state.listeners.add(listener);
    }

    /** Stops hearing state changes. */
    public void removeListener(Consumer<ResourceConductor> listener) {
        state.listeners.remove(listener);
    }

    // ---- commands, each run on the owner thread ------------------------------------------------------------------

    /** {@code up}: attach every volume, then connect. Idempotent. */
    public Outcome up() {
        return run(() -> {
            state.up = true;
            Outcome attached = doAttach();
            if (!attached.ok()) {
                return attached;
            }
            state.connections.doConnect(false);
            return Outcome.done("");
        });
    }

    /** {@code down}: demote, disconnect and detach; the resource is then unconfigured on this node. */
    public Outcome down() {
        return run(() -> {
            if (state.role == Role.PRIMARY) {
                Outcome demoted = state.roles.doSecondary();
                if (!demoted.ok()) {
                    return demoted;
                }
            }
            state.connections.stopLinks();
            Outcome detached = doDetach(true);
            state.up = false;
            return detached;
        });
    }

    /** {@code attach}: open every volume's disk and metadata, replaying the activity log. */
    public Outcome attach() {
        return run(() -> {
            state.up = true;
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
            state.up = true;
            return state.connections.doConnect(discard);
        });
    }

    /** {@code disconnect}: stop talking to every peer. */
    public Outcome disconnect() {
        return run(() -> {
            if (state.peers.values().stream().allMatch(peer -> peer.state == ConnectionState.STANDALONE)) {
                return Outcome.refused(StateChangeRefusal.ALREADY_STANDALONE, "");
            }
            state.connections.stopLinks();
            return Outcome.done("");
        });
    }

    /**
     * {@code primary [--force]}: promote, once the peers it replicates with agreed ({@link PromotionVote}); waits for
     * the outcome. Not on the owner lane.
     */
    public Outcome primary(boolean force) {
        java.util.concurrent.CompletableFuture<Outcome> outcome = new java.util.concurrent.CompletableFuture<>();
        vote(force, outcome::complete);
        try {
            // The vote ends by itself (answers, lost peers or its timeout); the bound only guards a closed scheduler.
            Outcome promoted = outcome.get(10 * Math.max(1, state.voteTimeoutMs()),
                java.util.concurrent.TimeUnit.MILLISECONDS);
            tellListenersHere();
            return promoted;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException stuck) {
            return Outcome.failed("promotion did not finish: " + stuck);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted while waiting for the promotion");
        }
    }

    /** {@code primary [--force]} without waiting: {@code done} hears the outcome on the owner lane. */
    public void primary(boolean force, Consumer<Outcome> done) {
        vote(force, outcome -> {
            state.notifyListeners();
            done.accept(outcome);
        });
    }

    private void vote(boolean force, Consumer<Outcome> done) {
        state.scheduler.execute(() -> state.vote.start(force, outcome -> {
            state.quorum.refresh();
            done.accept(outcome);
        }));
    }

    /** {@code suspend-io}: new writes wait until {@code resume-io} ({@code suspended:user}). */
    public Outcome suspendIo() {
        return run(state.fencing::suspendIo);
    }

    /** {@code resume-io}: lifts {@code suspend-io} and a fencing freeze (a quorum suspension stays). */
    public Outcome resumeIo() {
        return run(state.fencing::resumeIo);
    }

    /** {@code secondary}: demote. */
    public Outcome secondary() {
        return run(state.roles::doSecondary);
    }

    /** {@code outdate}: mark the local data Outdated (fencing scripts use it); refused while connected or Primary. */
    public Outcome outdate() {
        return run(() -> {
            if (state.peers.values().stream().anyMatch(peer -> peer.state == ConnectionState.CONNECTED)) {
                return Outcome.refused(StateChangeRefusal.CONNECTED_OUTDATES, "");
            }
            if (state.role == Role.PRIMARY) {
                return Outcome.refused("State change failed: refusing to outdate the data of a Primary; "
                    + "run 'secondary' first");
            }
            for (VolumeRuntime volume : state.volumes) {
                if (volume.disk().isEmpty()) {
                    return Outcome.refused(StateChangeRefusal.IS_DISKLESS, "volume " + volume.config().number()
                        + " has no disk; attach it first");
                }
                if (!volume.state().isAtLeast(DiskState.OUTDATED)) {
                    return Outcome.refused(StateChangeRefusal.LOWER_THAN_OUTDATED, "");
                }
            }
            for (VolumeRuntime volume : state.volumes) {
                Outcome written = state.disk.writeMetadata(volume, superblock -> superblock
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
            for (VolumeRuntime volume : state.volumes) {
                if (volume.disk().isEmpty()) {
                    return Outcome.refused(StateChangeRefusal.IS_DISKLESS, "volume " + volume.config().number()
                        + " has no disk; attach it first");
                }
            }
            for (VolumeRuntime volume : state.volumes) {
                AttachedDisk disk = volume.disk().orElseThrow();
                if (clearBitmap) {
                    for (int slot = 0; slot < disk.bitmaps().maxPeers(); slot++) {
                        disk.bitmaps().bitmap(slot).clearAll();
                    }
                }
                Outcome written = state.disk.writeMetadata(volume, superblock -> {
                    GenerationIds ids = superblock.generationIds();
                    GenerationIds next = clearBitmap
                        ? ids.clearBitmapSkipInitialSync(state.random, state.role == Role.PRIMARY)
                        : ids.newCurrent(state.random, state.role == Role.PRIMARY,
                            state.generations.unreachableSlots(superblock));
                    Superblock updated = superblock.withGenerationIds(next);
                    return clearBitmap ? DiskEdge.upToDate(updated) : updated;
                });
                if (!written.ok()) {
                    return written;
                }
                if (clearBitmap) {
                    volume.moveTo(DiskState.UP_TO_DATE);
                }
            }
            // Connected peers adopt the new generation; with --clear-bitmap they skip the initial sync with us.
            state.generations.reportToPeers(clearBitmap);
            return Outcome.done("");
        });
    }

    /**
     * {@code invalidate [--reset-bitmap=no]}: this node's data is declared out of date; it becomes SyncTarget of a
     * connected peer with UpToDate data. With {@code resetBitmap} every block is resynced, otherwise only the blocks
     * already marked (e.g. by a verify).
     */
    public Outcome invalidate(boolean resetBitmap) {
        return run(() -> state.resyncCommands.startResyncCommand(false, resetBitmap));
    }

    /** {@code invalidate-remote [--reset-bitmap=no]}: the peers' data is declared out of date; this node syncs them. */
    public Outcome invalidateRemote(boolean resetBitmap) {
        return run(() -> state.resyncCommands.startResyncCommand(true, resetBitmap));
    }

    /**
     * {@code verify [--start S] [--stop S]}: compares this node's blocks with every connected peer's by digest
     * ({@code verify-alg}); differences are marked out of sync, not repaired. Positions are 512-byte sectors; without
     * a start the verify resumes where the last one stopped.
     */
    public Outcome verify(OptionalLong startSector, OptionalLong stopSector) {
        return run(() -> {
            List<PeerRuntime> chosen = new ArrayList<>();
            for (PeerRuntime peer : state.peers.values()) {
                if (peer.replicating && peer.sender != null) {
                    chosen.add(peer);
                }
            }
            if (chosen.isEmpty()) {
                return Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "verify needs a connected peer");
            }
            Optional<Outcome> diskless = refuseWithoutDisk("verify");
            if (diskless.isPresent()) {
                return diskless.get();
            }
            for (PeerRuntime peer : chosen) {
                if (digestOf(peer.connection.net().verifyAlg()) == null) {
                    return Outcome.refused("verify: no verify-alg in the net section of the connection to "
                        + peer.host.name() + "; set e.g. 'verify-alg crc32c;' on both nodes and adjust");
                }
                for (VolumeRuntime volume : state.volumes) {
                    VolumeSync sync = peer.sync(volume.config().number());
                    if (sync.state != ReplicationState.ESTABLISHED) {
                        return Outcome.refused("verify: volume " + volume.config().number() + " is "
                            + sync.state.drbdName() + " with " + peer.host.name());
                    }
                }
            }
            for (PeerRuntime peer : chosen) {
                for (VolumeRuntime volume : state.volumes) {
                    state.verifier.startVerify(peer, volume, startSector, stopSector);
                }
            }
            return Outcome.done("");
        });
    }

    /** {@code pause-sync}: suspends every running resync of this resource (the "user" flag). */
    public Outcome pauseSync() {
        return run(() -> state.resyncCommands.setUserPause(true));
    }

    /** {@code resume-sync}: lifts {@link #pauseSync}. */
    public Outcome resumeSync() {
        return run(() -> state.resyncCommands.setUserPause(false));
    }

    /** The generation ids and flags of {@code volume}'s metadata, if it has a disk. */
    public Optional<Superblock> superblock(int volume) {
        return call(() -> state.volume(volume).flatMap(VolumeRuntime::disk)
            .map(disk -> disk.backing().metadata().current()));
    }

    /** What {@code status} and {@code events} show: every object of the resource as it is now. */
    public ResourceStatus snapshot() {
        return call(state.status::buildSnapshot);
    }

    /**
     * The data path of {@code volume} while this node is Primary with the volume attached; empty otherwise. The
     * object stays valid until demotion, detach or a local I/O error closes it.
     */
    public Optional<VolumeIo> io(int volume) {
        return call(() -> Optional.ofNullable(state.served.get(volume)));
    }

    /** Whether the resource is up on this node. */
    public boolean isUp() {
        return call(() -> state.up);
    }

    /** The role. */
    public Role role() {
        return call(() -> state.role);
    }

    /** Each volume's disk state, by volume number. */
    public Map<Integer, DiskState> diskStates() {
        return call(() -> {
            Map<Integer, DiskState> states = new LinkedHashMap<>();
            state.volumes.forEach(volume -> states.put(volume.config().number(), volume.state()));
            return states;
        });
    }

    /** Each peer's connection state, by peer name. */
    public Map<String, ConnectionState> connectionStates() {
        return call(() -> {
            Map<String, ConnectionState> states = new LinkedHashMap<>();
            state.peers.forEach((name, peer) -> states.put(name, peer.state));
            return states;
        });
    }

    /** Whether {@code connect --discard-my-data} was asked for (sent to the peer at the handshake). */
    public boolean discardMyData() {
        return call(() -> state.peers.values().stream().anyMatch(peer -> peer.discardMyData));
    }

    /** Detaches cleanly and stops the owner thread; used when the daemon stops. */
    @Override
    public void close() {
        run(() -> {
            state.connections.stopLinks();
            return doDetach(true);
        });
        state.scheduler.close();
    }

    // ---- the work ------------------------------------------------------------------------------------------------

    Outcome doAttach() {
        List<String> notes = new ArrayList<>();
        boolean attachedAny = false;
        for (VolumeRuntime volume : state.volumes) {
            if (volume.disk().isPresent() || volume.config().diskless()) {
                continue;
            }
            volume.moveTo(DiskState.ATTACHING);
            BackingDisk backing;
            try {
                backing = state.opener.open(volume.config());
            } catch (IOException | RuntimeException failure) {
                volume.moveTo(DiskState.DISKLESS);
                return Outcome.failed(state.config.name() + "/" + volume.config().number() + ": attach failed: "
                    + failure.getMessage());
            }
            try {
                AttachedDisk disk = AttachedDisk.attach(backing, volume.config().alExtents(),
                    state.scheduler.bootId());
                volume.attached(disk, DiskEdge.diskStateOf(disk.backing().metadata().current()));
                state.generations.recallLastWrite(disk);
                state.generations.recallToldUnclean(disk);
                attachedAny = true;
                if (disk.replayedExtents() > 0) {
                    notes.add(state.config.name() + "/" + volume.config().number() + ": activity log replayed, "
                        + disk.replayedExtents() + " extent(s) marked out of sync");
                }
            } catch (IOException failure) {
                volume.moveTo(DiskState.FAILED);
                volume.detached();
                state.disk.localIoError(volume, failure);
                return Outcome.failed(state.config.name() + "/" + volume.config().number() + ": attach failed: "
                    + failure.getMessage());
            }
        }
        if (attachedAny) {
            // A connection that ran while a disk was missing never compared it: handshake again, so that what the
            // disk missed (its peers marked it) is resynced.
            for (PeerRuntime peer : state.peers.values()) {
                if (peer.sender != null) {
                    peer.sender.close("a disk was attached; handshaking again");
                }
            }
        }
        return Outcome.done(String.join("\n", notes));
    }

    Outcome doDetach(boolean force) {
        if (!force && state.role == Role.PRIMARY && state.volumes.stream().anyMatch(v -> v.disk().isPresent())) {
            return Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "this Primary has no peer with "
                + "UpToDate data to serve I/O after detaching; demote it first, or use detach --force");
        }
        List<String> problems = new ArrayList<>();
        for (VolumeRuntime volume : state.volumes) {
            Optional<AttachedDisk> disk = volume.disk();
            if (disk.isEmpty()) {
                continue;
            }
            state.disk.stopServing(volume);
            state.resync.abandonSyncsOf(volume);
            volume.moveTo(DiskState.DETACHING);
            try {
                disk.get().close();
            } catch (IOException failure) {
                problems.add(state.config.name() + "/" + volume.config().number() + ": " + failure.getMessage());
            }
            volume.detached();
        }
        return problems.isEmpty() ? Outcome.done("")
            : Outcome.failed("detached, but writing the metadata failed: " + String.join("; ", problems));
    }

    /** Whether volume {@code volume} of this resource is resyncing with any peer now (for resync-after). Any thread. */
    public boolean resyncing(int volume) {
        return state.resync.resyncing(volume);
    }

    /**
     * Tells this resource how to ask whether another device of the node resyncs ({@code resync-after}): the daemon
     * passes a lookup over all its resources.
     */
    public void resyncActivity(java.util.function.BiPredicate<String, Integer> activity) {
        state.resyncActivity = activity;
    }

    /** The refusal of {@code verb} when some volume has no disk here, if one has none. */
    private Optional<Outcome> refuseWithoutDisk(String verb) {
        for (VolumeRuntime volume : state.volumes) {
            if (volume.disk().isEmpty()) {
                return Optional.of(Outcome.refused(StateChangeRefusal.IS_DISKLESS, verb + ": volume "
                    + volume.config().number() + " has no disk here; attach it first"));
            }
        }
        return Optional.empty();
    }

    // ---- hand-over to the owner thread ---------------------------------------------------------------------------

    Outcome run(Callable<Outcome> command) {
        Outcome outcome = call(() -> {
            Outcome done = command.call();
            state.quorum.refresh();
            return done;
        });
        tellListenersHere();
        return outcome;
    }

    /** Tells the listeners on the caller's thread, so that a command's events precede its answer. */
    private void tellListenersHere() {
        for (Consumer<ResourceConductor> listener : state.listeners) {
            listener.accept(this);
        }
    }

    <T> T call(Callable<T> work) {
        return state.scheduler.call(work);
    }
}

package io.replicator.core.resource;

import static io.replicator.core.resource.ResourceState.slotOf;
import static io.replicator.core.resource.ResyncCoordinator.digestOf;
import static io.replicator.core.resource.ResyncCoordinator.pacerFor;

import io.replicator.core.config.NetConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.resync.OnlineVerify;
import io.replicator.core.resync.RangeLock;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.Role;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Online verify ({@code verify [--start S] [--stop S]}): compares this node's blocks with a connected peer's by digest
 * ({@code verify-alg}), marks differences out of sync without repairing them, remembers where it stopped so that the
 * next verify resumes there, and runs the {@code out-of-sync} handler when it found any. Started on the owner lane,
 * stepped on the background lane.
 */
final class VerifyCoordinator {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    private final ResourceConfig config;
    private final HandlerInvoker handlers;
    private final ResourceScheduler scheduler;
    private final Map<Integer, Long> verifyPositions;

    VerifyCoordinator(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.handlers = state.handlers;
        this.scheduler = state.scheduler;
        this.verifyPositions = state.verifyPositions;
    }

    void startVerify(PeerRuntime peer, VolumeRuntime volume, OptionalLong startSector,
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
            digestOf(net.verifyAlg()), state.role == Role.PRIMARY ? state.resync.rangeLock : RangeLock.NONE,
            pacerFor(volume, net),
            sender::sendSync, scheduler::nanoTime, Math.max(1, net.maxBuffers() / 2) * 4096L, start, stop,
            () -> scheduler.execute(() -> finishVerify(peer, volume, sync, job[0], startedAt[0])));
        sync.verify = job[0];
        sync.state = ReplicationState.VERIFY_S;
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: online verify started at sector {3,number,#}",
            config.name(),
            number, peer.host.name(), start / 512);
        scheduler.background(job[0]::step);
        if (start >= stop) {
            scheduler.execute(() -> finishVerify(peer, volume, sync, job[0], startedAt[0]));
        }
    }

    void finishVerify(PeerRuntime peer, VolumeRuntime volume, VolumeSync sync, OnlineVerify job,
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
        state.disk.persistBitmap(volume);
        long seconds = (scheduler.nanoTime() - sync.startedNanos) / 1_000_000_000L;
        LOG.log(System.Logger.Level.INFO, "{0}/{1} with {2}: online verify done (total {3,number,#} sec; sectors "
            + "{4,number,#} to {5,number,#}); found {6,number,#} 4k blocks out of sync", config.name(), number,
            peer.host.name(), seconds, start / 512,
            position / 512, job.outOfSyncBlocks());
        if (job.outOfSyncBlocks() > 0) {
            config.handler("out-of-sync").ifPresent(command ->
                handlers.invoke("out-of-sync", command, state.handlerEnv.environment(volume)));
        }
        state.resyncTriggers.verifyEnded(peer, volume);
        state.notifyListeners();
    }
}

package io.replicator.core.resource;


import static io.replicator.core.resource.ResourceState.slotOf;

import io.replicator.core.config.ResourceConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.PeerFlag;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.state.DiskState;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The edge where a resource's decisions reach its disks: superblock rewrites, bitmap write-outs, and what a local I/O
 * error does ({@code disk { on-io-error }}). Every metadata change goes through {@link #writeMetadata}, so a failing
 * metadata write is handled by one policy in one place.
 *
 * <p>{@code on-io-error}: {@code detach} stops serving the volume, closes the backing disk and leaves the node
 * Diskless (Failed first); {@code call-local-io-error} and {@code pass_on} keep the disk. The {@code local-io-error}
 * handler runs in every case when one is configured. Owner lane only.
 */
final class DiskEdge {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    private final ResourceConfig config;
    private final HandlerInvoker handlers;
    private final Map<Integer, VolumeIo> served;

    DiskEdge(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.handlers = state.handlers;
        this.served = state.served;
    }

    /** Rewrites {@code volume}'s superblock, handling a local I/O error by the configured policy. */
    /** Whether {@code volume}'s slot of peer {@code nodeId} says its data is Outdated (false without a disk). */
    static boolean peerKnownOutdated(VolumeRuntime volume, int nodeId) {
        return volume.disk().map(disk -> disk.backing().metadata().current().peerHas(nodeId, PeerFlag.OUTDATED))
            .orElse(false);
    }

    /**
     * Records in {@code volume}'s slot of peer {@code nodeId} whether its data is Outdated (DRBD's MDF_PEER_OUTDATED),
     * writing the metadata only when that changes; nothing without a disk.
     */
    void recordPeerOutdated(VolumeRuntime volume, int nodeId, boolean outdated) {
        if (volume.disk().isPresent() && peerKnownOutdated(volume, nodeId) != outdated) {
            writeMetadata(volume, superblock -> superblock.withPeerFlag(nodeId, PeerFlag.OUTDATED, outdated));
        }
    }

    Outcome writeMetadata(VolumeRuntime volume, UnaryOperator<Superblock> change) {
        AttachedDisk disk = volume.disk().orElseThrow();
        try {
            disk.backing().flushDataBeforeMetadata();
            Superblock before = disk.backing().metadata().current();
            Superblock after = change.apply(before);
            disk.backing().metadata().write(after);
            if (!after.generationIds().equals(before.generationIds())) {
                LOG.log(System.Logger.Level.DEBUG, "{0}/{1}: generation ids {2} -> {3}", config.name(),
                    volume.config().number(), before.generationIds(), after.generationIds());
            }
            return Outcome.done("");
        } catch (IOException failure) {
            return localIoError(volume, failure);
        }
    }

    /** Writes the bitmap pages that changed (and flushes), so a crash keeps the resync's progress. */
    void persistBitmap(VolumeRuntime local) {
        local.disk().ifPresent(disk -> {
            try {
                disk.writeOutBitmap();
            } catch (IOException failure) {
                localIoError(local, failure);
            }
        });
    }

    Outcome localIoError(VolumeRuntime volume, IOException failure) {
        String where = config.name() + "/" + volume.config().number();
        config.handler("local-io-error").ifPresent(command ->
            handlers.invoke("local-io-error", command, state.handlerEnv.environment(volume)));
        switch (volume.config().onIoError()) {
            case DETACH -> {
                stopServing(volume);
                state.resync.abandonSyncsOf(volume);
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

    /** Stops serving {@code volume} (waiting for its requests in flight). */
    /**
     * A write or flush that {@code peer} replicated failed on this disk (the receiver answers it with a negative ack
     * or leaves the epoch unacknowledged). {@code on-io-error} applies as to this node's own writes. A disk that stays
     * attached ({@code pass_on}, {@code call-local-io-error}) no longer holds what its peer counts as written here,
     * so it must not stay UpToDate (a promotion would serve the missing write's old data): it becomes Inconsistent,
     * on disk too, the range is marked for the peer, and the session ends — the next handshake makes this node sync
     * target of what is marked. With {@code detach} the node goes Diskless and later writes fail the same way.
     *
     * @param length 0 for a failed flush (the range is unknown; the peer marks the epoch's writes when the session
     *               ends without their barrier ack)
     */
    void replicaWriteFailed(PeerRuntime peer, int number, long offset, long length, IOException failure) {
        Optional<VolumeRuntime> found = state.volume(number);
        if (found.isEmpty() || found.get().disk().isEmpty()) {
            return;
        }
        VolumeRuntime volume = found.get();
        AttachedDisk attached = volume.disk().get();
        int slot = slotOf(attached, peer.nodeId());
        if (length > 0 && slot >= 0 && offset + length <= attached.data().sizeBytes()) {
            attached.markOutOfSync(slot, offset, length);
        }
        LOG.log(System.Logger.Level.ERROR, "{0}/{1}: local I/O error applying the data of {2}: {3}", config.name(),
            number, peer.host.name(), failure.getMessage());
        // Inconsistent on disk first, while the disk is still ours: with detach, a later attach must not find this
        // copy UpToDate either (a failing metadata write runs on-io-error itself).
        Outcome marked = writeMetadata(volume, superblock -> superblock.withFlag(MetadataFlag.CONSISTENT, false)
            .withFlag(MetadataFlag.WAS_UP_TO_DATE, false));
        if (marked.ok()) {
            persistBitmap(volume);
            localIoError(volume, failure);
        }
        if (volume.disk().isPresent()) {
            if (volume.state() != DiskState.INCONSISTENT) {
                volume.moveTo(DiskState.INCONSISTENT);
            }
            PeerSender sender = peer.sender;
            if (sender != null) {
                sender.close("local I/O error applying the peer's data (" + failure.getMessage()
                    + "); the next connection resyncs what is marked");
            }
        }
        state.notifyListeners();
    }

    /**
     * The local part of a Primary's write failed after the write went to the replicating peers, whose copy of the
     * range may now hold data this one lacks (the client was told the write failed). {@code on-io-error} applies;
     * if the disk stays attached ({@code pass_on}, {@code call-local-io-error}) the range is marked for every peer
     * and each replicating peer is resynced from here at once, so that the copies are the same again and none of
     * them reports in sync over a difference.
     */
    void primaryWriteFailed(VolumeRuntime volume, long offset, long length, IOException failure) {
        localIoError(volume, failure);
        Optional<AttachedDisk> attached = volume.disk();
        if (attached.isEmpty() || offset + length > attached.get().data().sizeBytes()) {
            return;
        }
        for (PeerRuntime peer : state.peers.values()) {
            int slot = slotOf(attached.get(), peer.nodeId());
            if (slot >= 0) {
                attached.get().markOutOfSync(slot, offset, length);
            }
        }
        persistBitmap(volume);
        state.resyncTriggers.resyncMarkedBlocks(volume);
    }

    void stopServing(VolumeRuntime volume) {
        VolumeIo io = served.remove(volume.config().number());
        if (io != null) {
            io.close();
        }
    }

    static Superblock upToDate(Superblock superblock) {
        return superblock.withFlag(MetadataFlag.CONSISTENT, true).withFlag(MetadataFlag.WAS_UP_TO_DATE, true)
            .withFlag(MetadataFlag.OUTDATED, false).withFlag(MetadataFlag.FOLLOWS_PRIMARY, false).withFollowedFrom(0);
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
}

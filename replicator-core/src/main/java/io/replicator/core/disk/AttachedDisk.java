package io.replicator.core.disk;

import io.replicator.core.activitylog.ActivityLog;
import io.replicator.core.activitylog.AlReplay;
import io.replicator.core.bitmap.BitmapStore;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.metadata.MetadataStore;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * A backing disk attached for I/O: its metadata read, its activity log replayed into the bitmaps, and the bitmaps
 * loaded — what DRBD's {@code apply-al} plus {@code attach} do.
 *
 * <p>Invariant kept across crashes (proven by the crash-consistency test): every block that may differ from a peer
 * is marked in that peer's bitmap after {@link #attach}. Writes get there by one of two routes: bits set for a
 * disconnected peer live in memory under a hot activity-log extent until the extent is evicted (its bitmap pages are
 * written out first) or the disk is detached cleanly; writes in flight to a connected peer are covered by their hot
 * extent, which {@link #attach} marks in every slot unless the log was shut down cleanly.
 *
 * <p>Not thread-safe except where {@link DirtyBitmap} says so: the resource's owner thread drives it.
 */
public final class AttachedDisk implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AttachedDisk.class.getName());

    private final BackingDisk disk;
    private final BitmapStore bitmaps;
    private final ActivityLog activityLog;
    private final long replayedExtents;
    private final boolean processCrashed;
    /** Bytes of application and replicated I/O on the data area (not resync): c-min-rate's "foreign" I/O. */
    private final LongAdder foreignIo = new LongAdder();
    private boolean closed;

    private AttachedDisk(BackingDisk disk, BitmapStore bitmaps, ActivityLog activityLog, long replayedExtents,
                         boolean processCrashed) {
        this.disk = disk;
        this.bitmaps = bitmaps;
        this.activityLog = activityLog;
        this.replayedExtents = replayedExtents;
        this.processCrashed = processCrashed;
    }

    /**
     * Attaches {@code disk}: loads the bitmaps, replays the activity log (unless it was shut down cleanly) marking
     * every active extent out of sync toward every peer, writes those bits out, notes a crashed primary, and clears
     * the clean flag before any new write can happen. Takes ownership of {@code disk}.
     */
    public static AttachedDisk attach(BackingDisk disk, int alExtents) throws IOException {
        return attach(disk, alExtents, 0);
    }

    /**
     * {@link #attach(BackingDisk, int)} in machine boot {@code bootId} (0: unknown). An unclean shutdown within the
     * same boot was a process crash, which loses nothing written (the page cache survives it); in another boot, or
     * an unknown one, unflushed writes may be gone, and the metadata says so ({@link MetadataFlag#UNCLEAN_RESTART})
     * until the next handshake.
     */
    public static AttachedDisk attach(BackingDisk disk, int alExtents, long bootId) throws IOException {
        try {
            Superblock superblock = disk.metadata().current();
            MetadataLayout layout = superblock.layout();
            BitmapStore bitmaps = new BitmapStore(disk.bitmapArea(), layout.dataSizeBytes(), layout.maxPeers());
            bitmaps.load();
            AlReplay replay = ActivityLog.replay(disk.activityLogArea());
            long[] active = replay.activeExtents();
            long marked = 0;
            if (!superblock.has(MetadataFlag.AL_CLEAN)) {
                for (long extent : active) {
                    long from = extent * (ActivityLog.EXTENT_BYTES / DirtyBitmap.BLOCK_BYTES);
                    long to = Math.min(from + ActivityLog.EXTENT_BYTES / DirtyBitmap.BLOCK_BYTES,
                        layout.blockCount());
                    if (from >= to) {
                        continue;
                    }
                    for (int slot = 0; slot < layout.maxPeers(); slot++) {
                        bitmaps.bitmap(slot).setRange(from, to);
                    }
                    marked++;
                }
            }
            bitmaps.writeOutDirtyPages();
            disk.activityLogArea().flush();
            boolean crashedPrimary = superblock.has(MetadataFlag.PRIMARY_IND);
            Superblock attached = superblock.withFlag(MetadataFlag.AL_CLEAN, false).withBootId(bootId);
            boolean sameBoot = bootId != 0 && superblock.bootId() == bootId;
            boolean fresh = GenerationIds.mask(superblock.currentUuid()) == GenerationIds.UUID_JUST_CREATED;
            if (!superblock.has(MetadataFlag.AL_CLEAN) && !sameBoot && !fresh) {
                // A new unclean restart: no peer has been told of it yet.
                attached = attached.withFlag(MetadataFlag.UNCLEAN_RESTART, true).withToldUnclean(java.util.Set.of());
            }
            if (crashedPrimary) {
                // The node comes back Secondary: the indication becomes the crashed-primary mark, which a handshake
                // without resync or a finished resync as target clears. Left set, every later restart would make
                // the node a crashed Primary again, after a resync had made it a copy of its peer.
                attached = attached.withFlag(MetadataFlag.CRASHED_PRIMARY, true)
                    .withFlag(MetadataFlag.PRIMARY_IND, false);
            }
            if (attached.flags() != superblock.flags() || attached.bootId() != superblock.bootId()) {
                disk.metadata().write(attached);
            }
            ActivityLog log = ActivityLog.open(disk.activityLogArea(), alExtents, replay,
                extent -> bitmaps.writeOutBlocks(extent * blocksPerExtent(), (extent + 1) * blocksPerExtent()));
            return new AttachedDisk(disk, bitmaps, log, marked,
                !superblock.has(MetadataFlag.AL_CLEAN) && sameBoot && !fresh);
        } catch (IOException | RuntimeException failure) {
            disk.close();
            throw failure;
        }
    }

    private static long blocksPerExtent() {
        return ActivityLog.EXTENT_BYTES / DirtyBitmap.BLOCK_BYTES;
    }

    /**
     * Pins the extents of the range in the activity log, writing an activity-log transaction first when one is cold
     * and waiting while every slot is pinned: until {@link #unpinExtents}, a crash finds the extents in the log and
     * the next attach marks them out of sync toward every peer. A Primary pins every write; a Secondary pins the
     * writes it must remember for a peer that is away (drbd.md §6: secondaries use the AL when they hold the only
     * good copy).
     */
    public void pinExtents(long offsetBytes, long lengthBytes) throws IOException {
        synchronized (activityLog) {
            while (activityLog.tryBeginWrite(offsetBytes, lengthBytes) == ActivityLog.NO_FREE_SLOT) {
                try {
                    activityLog.wait();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for an activity-log slot", interrupted);
                }
            }
        }
    }

    /** Releases what {@link #pinExtents} pinned; the extents stay hot until evicted (their bitmap pages written). */
    public void unpinExtents(long offsetBytes, long lengthBytes) {
        synchronized (activityLog) {
            activityLog.endWrite(offsetBytes, lengthBytes);
            activityLog.notifyAll();
        }
    }

    /** The replicated data area. */
    public Volume data() {
        return disk.data();
    }

    /** The backing disk with its metadata store. */
    public BackingDisk backing() {
        return disk;
    }

    /** The bitmaps of every peer slot. */
    public BitmapStore bitmaps() {
        return bitmaps;
    }

    /** The activity log. */
    public ActivityLog activityLog() {
        return activityLog;
    }

    /**
     * Counts {@code bytes} of I/O on the data area that is not resync (application reads and writes, replicated
     * writes). Any thread.
     */
    public void countForeignIo(long bytes) {
        foreignIo.add(bytes);
    }

    /** Bytes counted by {@link #countForeignIo} since attach. */
    public long foreignIoBytes() {
        return foreignIo.sum();
    }

    /** How many extents the attach marked out of sync from the activity log (0 after a clean shutdown). */
    public long replayedExtents() {
        return replayedExtents;
    }

    /**
     * Whether the disk was last used by a process of this machine boot that did not shut down cleanly: a process
     * crash, which loses nothing the process wrote (the page cache survives it).
     */
    public boolean processCrashed() {
        return processCrashed;
    }

    /**
     * As Primary, before a flush of the data area that covers this node's own writes through transfer-log id
     * {@code id}: what to call once the flush returned ({@link FlushMark#flushed}), which records that (not flushed,
     * {@link MetadataStore#writeUnflushed}). The record becomes durable with the next flush; a node back from a machine
     * crash reads it as its last write ({@link Superblock#lastWrite()}) and so knows how far its data got — which a
     * Secondary holding later writes of it, or one that missed some, is compared with. Any thread.
     */
    public FlushMark flushMark(long id) {
        return new FlushMark(id, disk.metadata().unflushedWrites());
    }

    /** A flush under way as Primary ({@link #flushMark}). */
    public final class FlushMark {
        private final long id;
        private final long unflushedBefore;

        private FlushMark(long id, long unflushedBefore) {
            this.id = id;
            this.unflushedBefore = unflushedBefore;
        }

        /**
         * The flush returned. With internal metadata it covered the superblock's last unflushed record too, which is
         * durable now. Advisory: a failure to write the record is only logged.
         */
        public void flushed() {
            if (id <= 0) {
                return;
            }
            MetadataStore metadata = disk.metadata();
            if (disk.layout().internal()) {
                metadata.flushedSince(unflushedBefore);
            }
            try {
                metadata.writeUnflushed(superblock -> superblock.withLastWrite(new LastWrite(superblock.nodeId(), id)));
            } catch (IOException failure) {
                LOG.log(System.Logger.Level.WARNING, "could not record the last flushed write " + id + ": " + failure);
            }
        }
    }

    /** Marks {@code [offsetBytes, offsetBytes + lengthBytes)} out of sync toward the peer in {@code slot}. */
    public void markOutOfSync(int slot, long offsetBytes, long lengthBytes) {
        bitmaps.bitmap(slot).setBytes(offsetBytes, lengthBytes);
    }

    /** Writes out the bitmap pages that changed since the last writeout (lazy writeout) and flushes. */
    public void writeOutBitmap() throws IOException {
        disk.flushDataBeforeMetadata();
        bitmaps.writeOutDirtyPages();
        disk.bitmapArea().flush();
    }

    /**
     * Detaches cleanly: every bitmap page is written out, then the superblock records a clean activity log, so the
     * next attach replays nothing. All writes must have completed.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (activityLog.pinnedWrites() == 0) {
                bitmaps.writeOutDirtyPages();
                disk.bitmapArea().flush();
                Superblock current = disk.metadata().current();
                disk.metadata().write(current.withFlag(MetadataFlag.AL_CLEAN, true));
            }
        } finally {
            disk.close();
        }
    }
}

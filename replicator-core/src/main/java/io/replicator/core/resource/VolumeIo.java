package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.replicator.core.activitylog.ActivityLog;
import io.replicator.core.disk.AttachedDisk;

import java.io.IOException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;

/**
 * The data path of one attached volume while its resource is Primary: what the NBD export reads and writes
 * through, from many I/O threads at once.
 *
 * <p>A write (and a discard, which is a write of zeros) first makes its 4 MiB extents hot in the activity log —
 * waiting while every slot has writes in flight —, marks its blocks out of sync toward every peer that would not
 * receive it, writes, and unpins the extents when done. So after a crash the activity log and the bitmap together
 * cover every block that may differ (the invariant of {@link AttachedDisk}).
 *
 * <p>Closing ({@link #close}, at demotion, detach or a local I/O error) waits for the requests in flight and makes
 * later ones fail with {@link ClosedException}; a local I/O error is reported to the resource's owner (which applies
 * {@code on-io-error}) and rethrown.
 */
public final class VolumeIo {
    /** The volume is no longer served here (demoted, detached or failed). */
    public static final class ClosedException extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedException(String message) {
            super(message);
        }
    }

    private final String name;
    private final AttachedDisk disk;
    private final ActivityLog activityLog;
    private final IntSupplier[] outOfSyncSlots;
    private final BiConsumer<VolumeIo, IOException> onIoError;
    private final ReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /**
     * @param name           {@code RES/VOL}, for messages
     * @param outOfSyncSlots each returns a peer slot to mark for every write, or -1 (peers that receive the write)
     * @param onIoError      told of a local I/O error; it must not block (it hands over to the owner thread)
     */
    VolumeIo(String name, AttachedDisk disk, IntSupplier[] outOfSyncSlots, BiConsumer<VolumeIo, IOException> onIoError) {
        this.name = name;
        this.disk = disk;
        this.activityLog = disk.activityLog();
        this.outOfSyncSlots = outOfSyncSlots.clone();
        this.onIoError = onIoError;
    }

    /** Size of the data area in bytes. */
    public long sizeBytes() {
        return disk.data().sizeBytes();
    }

    /** Reads {@code length} bytes at {@code offset} into {@code dst}. */
    public void read(long offset, int length, ByteBuf dst) throws IOException {
        enter();
        try {
            disk.data().read(dst, offset, length);
        } catch (IOException failure) {
            throw failed(failure);
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Writes the readable bytes of {@code src} at {@code offset}; with {@code fua} they are durable on return. */
    public void write(long offset, ByteBuf src, boolean fua) throws IOException {
        modify(offset, src.readableBytes(), fua, () -> disk.data().write(src, offset));
    }

    /** Makes the range read back as zeros, through the activity log like any write. */
    public void discard(long offset, long length, boolean fua) throws IOException {
        modify(offset, length, fua, () -> disk.data().discard(offset, length));
    }

    /** A change to the data area. */
    @FunctionalInterface
    private interface Change {
        void apply() throws IOException;
    }

    /** Pins the range's extents, marks it out of sync where needed, applies {@code change}, unpins. */
    private void modify(long offset, long length, boolean fua, Change change) throws IOException {
        enter();
        try {
            begin(offset, length);
            try {
                markOutOfSync(offset, length);
                change.apply();
                if (fua) {
                    disk.data().flush();
                }
            } finally {
                end(offset, length);
            }
        } catch (IOException failure) {
            throw failed(failure);
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Makes every completed write durable. */
    public void flush() throws IOException {
        enter();
        try {
            disk.data().flush();
        } catch (IOException failure) {
            throw failed(failure);
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Whether the volume is no longer served. */
    public boolean isClosed() {
        return closed;
    }

    /** Stops serving: waits for the requests in flight, then refuses new ones. Idempotent. */
    void close() {
        gate.writeLock().lock();
        try {
            closed = true;
        } finally {
            gate.writeLock().unlock();
        }
    }

    private void enter() throws ClosedException {
        gate.readLock().lock();
        if (closed) {
            gate.readLock().unlock();
            throw new ClosedException(name + " is not served here any more (demoted, detached or failed)");
        }
    }

    private void begin(long offset, long length) throws IOException {
        synchronized (activityLog) {
            while (activityLog.tryBeginWrite(offset, length) == ActivityLog.NO_FREE_SLOT) {
                try {
                    activityLog.wait();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for an activity-log slot", interrupted);
                }
            }
        }
    }

    private void end(long offset, long length) {
        synchronized (activityLog) {
            activityLog.endWrite(offset, length);
            activityLog.notifyAll();
        }
    }

    private void markOutOfSync(long offset, long length) {
        for (IntSupplier slotSupplier : outOfSyncSlots) {
            int slot = slotSupplier.getAsInt();
            if (slot >= 0) {
                disk.markOutOfSync(slot, offset, length);
            }
        }
    }

    private IOException failed(IOException failure) {
        if (!(failure instanceof ClosedException)) {
            onIoError.accept(this, failure);
        }
        return failure;
    }
}

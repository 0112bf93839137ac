package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.WriteKind;
import io.replicator.core.replication.WriteRequest;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data path of one attached volume while its resource is Primary: what the NBD export reads and writes
 * through, from many I/O threads at once.
 *
 * <p>A write (and a discard, which is a write of zeros) first makes its 4 MiB extents hot in the activity log —
 * waiting while every slot has writes in flight —, enters the resource's {@link TransferLog} (which sends it to
 * every replicating peer and marks it out of sync toward every other peer), writes locally, waits until the
 * replication protocol counts it done, and unpins the extents once it left the transfer log. So after a crash the
 * activity log and the bitmap together cover every block that may differ (the invariant of {@link AttachedDisk}).
 * {@link #writeAsync} returns once the local part is done, with a future that completes when the protocol says so:
 * the thread that receives the peer's ack completes the request, no thread waits for it.
 *
 * <p>Without quorum ({@link WriteAdmission}) a write either fails at once or is parked before it does anything: no
 * local write, no new generation, no frame. Parked writes run in order when quorum returns ({@link #unpark}) and fail
 * when the volume stops being served.
 *
 * <p>Closing ({@link #close}, at demotion, detach or a local I/O error) waits for the requests in flight and makes
 * later ones fail with {@link ClosedException}; a local I/O error is reported to the resource's owner (which applies
 * {@code on-io-error}) and rethrown.
 */
public final class VolumeIo {
    /** The resource has no quorum and {@code on-no-quorum io-error} fails writes. */
    public static final class NoQuorumException extends IOException {
        private static final long serialVersionUID = 1L;

        NoQuorumException(String message) {
            super(message);
        }
    }

    /** A write that waits for quorum, with its own copy of the data. */
    private record Parked(long offset, long length, WriteKind kind, boolean fua, ByteBuf payload,
                          CompletableFuture<Void> done) {
    }

    /** The volume is no longer served here (demoted, detached or failed). */
    public static final class ClosedException extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedException(String message) {
            super(message);
        }
    }

    private final String name;
    private final AttachedDisk disk;
    private final int volume;
    private final TransferLog transferLog;
    private final LocalIoErrors onIoError;
    private final Runnable beforeWrite;
    private final WriteAdmission admission;
    private final Runnable acknowledged;
    /** Guards {@link #inFlight}, {@link #closed} and {@link #parked}; {@link #close} waits on it. */
    private final Object gate = new Object();
    /** Writes that arrived without quorum, oldest first. */
    private final ArrayDeque<Parked> parked = new ArrayDeque<>();
    /** Requests entered and not yet finished (a write finishes when its replication completes, on any thread). */
    private int inFlight;
    private volatile boolean closed;

    /**
     * @param name        {@code RES/VOL}, for messages
     * @param volume      the volume number, as peers know it
     * @param transferLog the resource's transfer log: it sends every write to the replicating peers and marks it
     *                    out of sync for the others
     * @param onIoError   told of a local I/O error; it must not block (it hands over to the owner thread)
     * @param beforeWrite runs before every write enters, outside the volume's gate (it may wait for the owner
     *                    thread: the Primary starts a new data generation before its first write without a peer)
     * @param admission   whether writes enter now, wait for quorum or fail
     * @param acknowledged runs where a write completes successfully (it must not block)
     */
    VolumeIo(String name, int volume, AttachedDisk disk, TransferLog transferLog,
             LocalIoErrors onIoError, Runnable beforeWrite, WriteAdmission admission, Runnable acknowledged) {
        this.beforeWrite = beforeWrite;
        this.admission = admission;
        this.acknowledged = acknowledged;
        this.name = name;
        this.volume = volume;
        this.disk = disk;
        this.transferLog = transferLog;
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
            disk.countForeignIo(length);
            disk.data().read(dst, offset, length);
        } catch (IOException failure) {
            throw failed(failure);
        } finally {
            exit();
        }
    }

    /** Writes the readable bytes of {@code src} at {@code offset}; with {@code fua} they are durable on return. */
    public void write(long offset, ByteBuf src, boolean fua) throws IOException {
        await(writeAsync(offset, src, fua));
    }

    /**
     * Writes the readable bytes of {@code src} at {@code offset} locally and hands them to the peers; returns once
     * the local write is done (the caller may then release {@code src}: the transfer log holds its own reference),
     * with a future that completes when the replication protocol counts the write done — normally on the thread that
     * reads the peer's ack — or fails with the {@link IOException} {@link #write} would throw. A local failure, or a
     * volume no longer served, throws at once.
     */
    public CompletableFuture<Void> writeAsync(long offset, ByteBuf src, boolean fua) throws IOException {
        return admit(offset, src.readableBytes(), WriteKind.DATA, fua, src);
    }

    /** Makes the range read back as zeros, through the activity log and to the peers like any write. */
    public void discard(long offset, long length, boolean fua) throws IOException {
        await(admit(offset, length, WriteKind.ZEROES, fua, null));
    }

    /** Lets the write in, parks it until quorum returns, or fails it, as {@link WriteAdmission} says. */
    private CompletableFuture<Void> admit(long offset, long length, WriteKind kind, boolean fua, ByteBuf payload)
        throws IOException {
        switch (admission.mode()) {
            case FAIL -> throw new NoQuorumException(name + ": no quorum (on-no-quorum io-error): "
                + admission.reason());
            case PARK -> {
                synchronized (gate) {
                    if (closed) {
                        throw notServed();
                    }
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    parked.add(new Parked(offset, length, kind, fua,
                        payload == null ? null : Unpooled.copiedBuffer(payload), done));
                    return done;
                }
            }
            default -> {
                return modify(offset, length, kind, fua, payload, kind == WriteKind.DATA
                    ? () -> disk.data().write(payload.duplicate(), offset)
                    : () -> disk.data().discard(offset, length));
            }
        }
    }

    /** Runs the writes that waited for quorum, oldest first; each parks again if quorum went meanwhile. */
    void unpark() {
        List<Parked> waiting;
        synchronized (gate) {
            waiting = new ArrayList<>(parked);
            parked.clear();
        }
        for (Parked write : waiting) {
            try {
                admit(write.offset(), write.length(), write.kind(), write.fua(), write.payload())
                    .whenComplete((ok, failure) -> {
                        if (failure == null) {
                            write.done().complete(null);
                        } else {
                            write.done().completeExceptionally(failure(failure));
                        }
                    });
            } catch (IOException failure) {
                write.done().completeExceptionally(failure);
            } finally {
                if (write.payload() != null) {
                    write.payload().release();
                }
            }
        }
    }

    /** How many writes wait for quorum (parked: they have done nothing yet). */
    public int parkedWrites() {
        synchronized (gate) {
            return parked.size();
        }
    }

    /** What the data path tells its resource of local I/O errors; implementations hand over and never block. */
    interface LocalIoErrors {
        /** A read failed, or a write before it reached the transfer log. */
        void failed(VolumeIo io, IOException failure);

        /**
         * The local part of a write failed after the transfer log had sent it to the replicating peers: their copy
         * of the range may differ from this one now. The client is told the write failed.
         */
        void writeFailed(VolumeIo io, long offset, long length, IOException failure);
    }

    /** A change to the data area. */
    @FunctionalInterface
    private interface Change {
        void apply() throws IOException;
    }

    /**
     * Pins the range's extents, enters the transfer log (which sends the write to the replicating peers and marks it
     * out of sync for the others) and applies {@code change} locally; the future completes when the protocol says
     * the write is done, and the request counts as in flight (for {@link #close}) until then. The extents stay
     * pinned until the write leaves the transfer log (every peer confirmed its epoch).
     */
    private CompletableFuture<Void> modify(long offset, long length, WriteKind kind, boolean fua, ByteBuf payload,
                                           Change change) throws IOException {
        beforeWrite.run();
        enter();
        List<WriteRequest> parts;
        try {
            disk.countForeignIo(length);
            begin(offset, length);
            parts = enter(offset, length, kind, fua, payload);
        } catch (IOException failure) {
            exit();
            throw failed(failure);
        } catch (RuntimeException | Error bug) {
            exit();
            throw bug;
        }
        IOException local = null;
        try {
            change.apply();
            if (fua) {
                AttachedDisk.FlushMark mark = disk.flushMark(transferLog.locallyCompletedThrough());
                disk.data().flush();
                mark.flushed();
            }
        } catch (IOException failure) {
            local = failure;
        }
        for (WriteRequest part : parts) {
            transferLog.localCompleted(part, local);
        }
        if (local != null) {
            exit();
            if (!(local instanceof ClosedException)) {
                onIoError.writeFailed(this, offset, length, local);
            }
            throw local;
        }
        CompletableFuture<Void> replicated = parts.size() == 1 ? parts.get(0).completion()
            : CompletableFuture.allOf(parts.stream().map(WriteRequest::completion).toArray(CompletableFuture[]::new));
        // Runs where the last part completes (the peer's ack, under the transfer log's lock): nothing here blocks.
        // A part fails only with the local error, thrown (and reported to on-io-error) above: passed on as it is.
        return replicated.whenComplete((done, failure) -> {
            exit();
            if (failure == null) {
                acknowledged.run();
            }
        });
    }

    /**
     * Enters the write into the transfer log in parts of at most {@link WriteRequest#MAX_DATA_BYTES} (the largest
     * frame a peer takes); the extents are unpinned once the last part has left the log.
     */
    private List<WriteRequest> enter(long offset, long length, WriteKind kind, boolean fua, ByteBuf payload)
        throws IOException {
        long partBytes = kind == WriteKind.DATA ? WriteRequest.MAX_DATA_BYTES : WriteRequest.MAX_NO_DATA_BYTES;
        int count = (int) Math.max(1, (length + partBytes - 1) / partBytes);
        AtomicInteger inLog = new AtomicInteger(count);
        Runnable release = () -> {
            if (inLog.decrementAndGet() == 0) {
                end(offset, length);
            }
        };
        List<WriteRequest> parts = new ArrayList<>(count);
        try {
            for (long done = 0; done < length || parts.isEmpty(); done += partBytes) {
                long size = Math.min(partBytes, length - done);
                ByteBuf slice = payload == null ? null
                    : payload.slice(payload.readerIndex() + (int) done, (int) size);
                parts.add(transferLog.submit(volume, offset + done, size, kind, fua, slice, release));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            IOException failure = new IOException("interrupted while entering the transfer log", interrupted);
            for (WriteRequest part : parts) {
                transferLog.localCompleted(part, failure);
            }
            for (int missing = count - parts.size(); missing > 0; missing--) {
                release.run();
            }
            throw failure;
        }
        return parts;
    }

    /** The {@link IOException} a failed {@link #writeAsync} future carries, however the future wrapped it. */
    public static IOException failure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        return cause instanceof IOException io ? io : new IOException(cause);
    }

    /** Waits for a write's replication; its failure is rethrown as the {@link IOException} it carries. */
    private static void await(CompletableFuture<Void> replicated) throws IOException {
        try {
            replicated.join();
        } catch (CompletionException failed) {
            throw failure(failed);
        }
    }

    /**
     * Makes every completed write durable here, and closes the transfer log's epoch so that the peers flush theirs
     * (like DRBD's empty flush, without waiting for their barrier acks).
     */
    public void flush() throws IOException {
        enter();
        try {
            AttachedDisk.FlushMark mark = disk.flushMark(transferLog.locallyCompletedThrough());
            disk.data().flush();
            mark.flushed();
            transferLog.flush();
        } catch (IOException failure) {
            throw failed(failure);
        } finally {
            exit();
        }
    }

    /** Whether the volume is no longer served. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops serving: refuses new requests and waits until those in flight finished (writes: until their replication
     * completed or failed). Idempotent.
     */
    void close() {
        boolean interrupted = false;
        List<Parked> waiting;
        synchronized (gate) {
            closed = true;
            waiting = new ArrayList<>(parked);
            parked.clear();
        }
        for (Parked write : waiting) {
            write.done().completeExceptionally(new ClosedException(name + " stopped being served while the write "
                + "waited (suspended I/O)"));
            if (write.payload() != null) {
                write.payload().release();
            }
        }
        if (transferLog.completionsSuspended()) {
            // Writes held (no quorum, or fencing) never complete while held: they fail, so that closing does not wait.
            transferLog.failCompletions(new ClosedException(name + " stopped being served while the write was "
                + "held (no quorum, or frozen by fencing)"));
        }
        synchronized (gate) {
            while (inFlight > 0) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void enter() throws ClosedException {
        synchronized (gate) {
            if (closed) {
                throw notServed();
            }
            inFlight++;
        }
    }

    private ClosedException notServed() {
        return new ClosedException(name + " is not served here any more (demoted, detached or failed)");
    }

    private void exit() {
        synchronized (gate) {
            if (--inFlight == 0 && closed) {
                gate.notifyAll();
            }
        }
    }

    private void begin(long offset, long length) throws IOException {
        disk.pinExtents(offset, length);
    }

    private void end(long offset, long length) {
        disk.unpinExtents(offset, length);
    }

    private IOException failed(IOException failure) {
        if (!(failure instanceof ClosedException)) {
            onIoError.failed(this, failure);
        }
        return failure;
    }
}

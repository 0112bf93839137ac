package io.replicator.net.nbd;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The storage behind one NBD export. The server has already checked every request against {@link #sizeBytes()}
 * and the export's flags; these methods block and are called from the server's I/O threads, never from a Netty
 * event loop, several at once (requests are answered out of order).
 *
 * <p>A failure is an {@link NbdException} carrying the NBD error to send (EIO for a failed disk, ESHUTDOWN when
 * the export is going away, EPERM when writes are not allowed now); any other exception is sent as EIO.
 */
public interface NbdBackend {
    /** Size of the export in bytes. */
    long sizeBytes();

    /** Reads {@code length} bytes at {@code offset}, appending them to {@code dst} (which has room). */
    void read(long offset, int length, ByteBuf dst) throws NbdException;

    /**
     * Writes the readable bytes of {@code src} at {@code offset}. The buffer is the request's own payload (no
     * copy); the backend may retain it to hand it on, and must not release it. With {@code fua} the data is durable
     * when this returns.
     */
    void write(long offset, ByteBuf src, boolean fua) throws NbdException;

    /**
     * {@link #write}, answered when the returned stage completes: the backend does what it must on the calling
     * thread (the caller releases {@code src} when this returns; a backend that hands the data on keeps its own
     * reference) and completes the stage, on any thread, once the write is done — or fails it with an
     * {@link NbdException}. The server replies from there without an I/O thread waiting. By default: {@link #write},
     * then a completed stage.
     */
    default CompletionStage<Void> writeAsync(long offset, ByteBuf src, boolean fua) throws NbdException {
        write(offset, src, fua);
        return CompletableFuture.completedFuture(null);
    }

    /** Makes every completed write (from any connection) durable. */
    void flush() throws NbdException;

    /** Discards a range: it reads back as zeros afterwards. */
    void trim(long offset, long length, boolean fua) throws NbdException;

    /** Writes zeros over a range; {@code noHole} asks for allocated zeros rather than a hole. */
    void writeZeroes(long offset, long length, boolean fua, boolean noHole) throws NbdException;

    /** Whether {@link #writeZeroes} is fast (no slower than a trim); NBD_CMD_FLAG_FAST_ZERO fails with ENOTSUP if not. */
    default boolean fastZero() {
        return false;
    }

    /** A hint that a range will be read soon; may do nothing. */
    default void cache(long offset, long length) throws NbdException {
    }
}

package io.replicator.core.volume;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * Whole-buffer positional I/O over one {@link FileChannel}: the engine shared by {@link FileVolume} and
 * {@link BlockDeviceVolume}. It turns the channel's short transfers into the contract's exact ones, flushes according
 * to the {@link Durability}, and discards by writing zeros.
 *
 * <p>Invariants: every access is range-checked against {@code sizeBytes} before it reaches the channel, so an
 * end-of-file inside the range can only mean that the file shrank underneath us, which is reported, never papered
 * over with zeros. Positional calls never move the channel's own position, so concurrent callers do not race on it.
 *
 * <p>Caveat inherited from {@link FileChannel}: interrupting a thread that is inside a read or write closes the
 * channel for every thread ({@link java.nio.channels.ClosedByInterruptException}). Callers that interrupt disk
 * threads must expect the volume to be closed afterwards.
 */
final class PositionalChannel {
    /** Largest single zero-filling write of {@link #discard}; larger ranges are walked in pieces of this size. */
    static final int ZERO_CHUNK_BYTES = 1 << 20;

    /**
     * One shared, direct, read-only buffer of zeros. Nobody can write to it, and every use takes a {@code duplicate()}
     * so that no position or limit is shared between threads.
     */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_CHUNK_BYTES).asReadOnlyBuffer();

    private final FileChannel channel;
    private final long sizeBytes;
    private final Durability durability;
    private final String name;

    PositionalChannel(FileChannel channel, long sizeBytes, Durability durability, String name) {
        this.channel = channel;
        this.sizeBytes = sizeBytes;
        this.durability = durability;
        this.name = name;
    }

    long sizeBytes() {
        return sizeBytes;
    }

    Durability durability() {
        return durability;
    }

    void read(ByteBuffer dst, long offsetBytes) throws IOException {
        Volume.checkRange(offsetBytes, dst.remaining(), sizeBytes);
        ensureOpen();
        long positionBytes = offsetBytes;
        while (dst.hasRemaining()) {
            int readBytes = channel.read(dst, positionBytes);
            if (readBytes < 0) {
                throw new EOFException(name + " ends before byte " + positionBytes + " although the volume holds "
                    + sizeBytes + " bytes: it shrank while open");
            }
            positionBytes += readBytes;
        }
    }

    void write(ByteBuffer src, long offsetBytes) throws IOException {
        Volume.checkRange(offsetBytes, src.remaining(), sizeBytes);
        ensureOpen();
        writeFully(channel, src, offsetBytes);
    }

    void flush() throws IOException {
        ensureOpen();
        if (durability == Durability.FORCE) {
            // Data only (fdatasync): the length never changes after open, so there is no metadata we depend on.
            channel.force(false);
        }
        // DSYNC: every write was already durable when it returned.
    }

    void discard(long offsetBytes, long lengthBytes) throws IOException {
        Volume.checkRange(offsetBytes, lengthBytes, sizeBytes);
        ensureOpen();
        long positionBytes = offsetBytes;
        long endBytes = offsetBytes + lengthBytes;
        while (positionBytes < endBytes) {
            int chunkBytes = (int) Math.min(ZERO_CHUNK_BYTES, endBytes - positionBytes);
            writeFully(channel, ZEROS.duplicate().limit(chunkBytes), positionBytes);
            positionBytes += chunkBytes;
        }
    }

    /** Closing a {@link FileChannel} twice is harmless, which makes this idempotent. */
    void close() throws IOException {
        channel.close();
    }

    private void ensureOpen() throws ClosedChannelException {
        // Checked up front so that zero-length calls on a closed volume fail too, not only those that reach the channel.
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** Writes all of {@code src} at {@code offsetBytes}, looping over short writes. */
    static void writeFully(FileChannel channel, ByteBuffer src, long offsetBytes) throws IOException {
        long positionBytes = offsetBytes;
        while (src.hasRemaining()) {
            positionBytes += channel.write(src, positionBytes);
        }
    }
}

package io.replicator.core.volume;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A fixed-size block store addressed in bytes: the backing storage of one replicated volume.
 *
 * <p>Contract, shared by every implementation and proven by one contract suite:
 * <ul>
 *   <li>{@link #read} and {@link #write} transfer exactly {@code remaining()} bytes or throw; there are no
 *       short transfers. On return the buffer's position has advanced by that many bytes.</li>
 *   <li>An access that does not lie wholly inside {@code [0, sizeBytes())} throws
 *       {@link IllegalArgumentException} and touches nothing.</li>
 *   <li>A completed write is visible to every later read, but is durable only after {@link #flush()} returns
 *       (or at once when the volume was opened with {@link Durability#DSYNC}). A crash may lose any write not
 *       yet flushed, in whole or in part.</li>
 *   <li>{@link #discard} makes the range read back as zeros, so that replicas that discard the same range stay
 *       identical.</li>
 *   <li>Calls may come from several threads at once; writes to overlapping ranges from different threads have
 *       no defined order.</li>
 * </ul>
 */
public interface Volume extends AutoCloseable {
    /** Size of the addressable area in bytes. */
    long sizeBytes();

    /** Reads {@code dst.remaining()} bytes starting at {@code offsetBytes}. */
    void read(ByteBuffer dst, long offsetBytes) throws IOException;

    /** Writes {@code src.remaining()} bytes starting at {@code offsetBytes}. */
    void write(ByteBuffer src, long offsetBytes) throws IOException;

    /** Makes every write that completed before this call durable. */
    void flush() throws IOException;

    /** Makes the range read back as zeros. */
    void discard(long offsetBytes, long lengthBytes) throws IOException;

    /** Releases the underlying resources; further calls fail. Idempotent. */
    @Override
    void close() throws IOException;

    /**
     * Writes the readable bytes of {@code src} at {@code offsetBytes} without consuming them (the reader index is
     * unchanged): the same buffer can go on to a peer afterwards. A composite buffer is written piece by piece,
     * never copied.
     */
    default void write(ByteBuf src, long offsetBytes) throws IOException {
        long position = offsetBytes;
        for (ByteBuffer piece : src.nioBuffers()) {
            int length = piece.remaining();
            write(piece, position);
            position += length;
        }
    }

    /**
     * Reads {@code lengthBytes} at {@code offsetBytes} into {@code dst}, advancing its writer index. The buffer must
     * have room for them.
     */
    default void read(ByteBuf dst, long offsetBytes, int lengthBytes) throws IOException {
        dst.ensureWritable(lengthBytes);
        ByteBuffer target = dst.nioBuffer(dst.writerIndex(), lengthBytes);
        read(target, offsetBytes);
        dst.writerIndex(dst.writerIndex() + lengthBytes);
    }

    /** Throws {@link IllegalArgumentException} unless {@code [offsetBytes, offsetBytes + lengthBytes)} fits. */
    static void checkRange(long offsetBytes, long lengthBytes, long sizeBytes) {
        if (offsetBytes < 0 || lengthBytes < 0 || offsetBytes > sizeBytes - lengthBytes) {
            throw new IllegalArgumentException("access [" + offsetBytes + ", +" + lengthBytes
                + ") lies outside the volume of " + sizeBytes + " bytes");
        }
    }
}

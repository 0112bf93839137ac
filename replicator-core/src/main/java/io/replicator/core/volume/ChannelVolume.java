package io.replicator.core.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * What a file and a block device volume share: positional I/O on one {@code FileChannel}. The subclasses differ only
 * in how they open the channel and find the size.
 */
public abstract sealed class ChannelVolume implements Volume permits FileVolume, BlockDeviceVolume {
    private final Path path;
    private final PositionalChannel io;

    ChannelVolume(Path path, PositionalChannel io) {
        this.path = path;
        this.io = io;
    }

    /** The file or device path. */
    public final Path path() {
        return path;
    }

    /** How writes are made durable. */
    public final Durability durability() {
        return io.durability();
    }

    @Override
    public final long sizeBytes() {
        return io.sizeBytes();
    }

    @Override
    public final void read(ByteBuffer dst, long offsetBytes) throws IOException {
        io.read(dst, offsetBytes);
    }

    @Override
    public final void write(ByteBuffer src, long offsetBytes) throws IOException {
        io.write(src, offsetBytes);
    }

    @Override
    public final void flush() throws IOException {
        io.flush();
    }

    @Override
    public final void discard(long offsetBytes, long lengthBytes) throws IOException {
        io.discard(offsetBytes, lengthBytes);
    }

    @Override
    public final void close() throws IOException {
        io.close();
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + path + ", " + sizeBytes() + " bytes, " + durability() + "]";
    }
}

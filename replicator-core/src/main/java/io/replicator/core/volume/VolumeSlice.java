package io.replicator.core.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * A window {@code [startBytes, startBytes + sizeBytes)} of another volume, addressed from zero. Internal metadata
 * uses two slices of one backing store: the data area at the front and the metadata area at the end.
 *
 * <p>Closing a slice does not close the volume beneath it; the owner of the backing volume closes that. A closed
 * slice refuses further calls, as the {@link Volume} contract requires, even while the backing volume stays open.
 */
public final class VolumeSlice implements Volume {
    private final Volume backing;
    private final long startBytes;
    private final long sizeBytes;
    /** Volatile so that a close on one thread stops calls on every other thread. */
    private volatile boolean closed;

    public VolumeSlice(Volume backing, long startBytes, long sizeBytes) {
        Volume.checkRange(startBytes, sizeBytes, backing.sizeBytes());
        this.backing = backing;
        this.startBytes = startBytes;
        this.sizeBytes = sizeBytes;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Offset of this slice inside the backing volume. */
    public long startBytes() {
        return startBytes;
    }

    @Override
    public void read(ByteBuffer dst, long offsetBytes) throws IOException {
        Volume.checkRange(offsetBytes, dst.remaining(), sizeBytes);
        ensureOpen();
        backing.read(dst, startBytes + offsetBytes);
    }

    @Override
    public void write(ByteBuffer src, long offsetBytes) throws IOException {
        Volume.checkRange(offsetBytes, src.remaining(), sizeBytes);
        ensureOpen();
        backing.write(src, startBytes + offsetBytes);
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        backing.flush();
    }

    @Override
    public void discard(long offsetBytes, long lengthBytes) throws IOException {
        Volume.checkRange(offsetBytes, lengthBytes, sizeBytes);
        ensureOpen();
        backing.discard(startBytes + offsetBytes, lengthBytes);
    }

    @Override
    public void close() {
        // The backing volume belongs to whoever opened it: only this view closes.
        closed = true;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }
}

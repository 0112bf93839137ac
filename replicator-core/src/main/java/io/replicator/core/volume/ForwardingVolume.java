package io.replicator.core.volume;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link Volume} that passes every call to another; a subclass overrides what it adds to (marking what a resync
 * changes, recording what a write leaves).
 */
public abstract class ForwardingVolume implements Volume {
    /** The volume calls go to. */
    protected final Volume delegate;

    protected ForwardingVolume(Volume delegate) {
        this.delegate = delegate;
    }

    @Override
    public long sizeBytes() {
        return delegate.sizeBytes();
    }

    @Override
    public void read(ByteBuffer dst, long offsetBytes) throws IOException {
        delegate.read(dst, offsetBytes);
    }

    @Override
    public void write(ByteBuffer src, long offsetBytes) throws IOException {
        delegate.write(src, offsetBytes);
    }

    @Override
    public void flush() throws IOException {
        delegate.flush();
    }

    @Override
    public void discard(long offsetBytes, long lengthBytes) throws IOException {
        delegate.discard(offsetBytes, lengthBytes);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}

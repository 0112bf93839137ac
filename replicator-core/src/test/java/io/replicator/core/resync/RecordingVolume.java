package io.replicator.core.resync;

import io.replicator.core.testing.HeapVolume;
import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/** A {@link HeapVolume} that records reads as events and can fail them. */
final class RecordingVolume implements Volume {
    private final HeapVolume delegate;
    private final List<String> events;
    private volatile boolean failReads;

    RecordingVolume(HeapVolume delegate, List<String> events) {
        this.delegate = delegate;
        this.events = events;
    }

    void failReads(boolean on) {
        failReads = on;
    }

    @Override
    public long sizeBytes() {
        return delegate.sizeBytes();
    }

    @Override
    public void read(ByteBuffer dst, long offsetBytes) throws IOException {
        events.add("read " + offsetBytes + "+" + dst.remaining());
        if (failReads) {
            throw new IOException("injected read failure");
        }
        delegate.read(dst, offsetBytes);
    }

    @Override
    public void write(ByteBuffer src, long offsetBytes) throws IOException {
        delegate.write(src, offsetBytes);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void discard(long offsetBytes, long lengthBytes) {
        delegate.discard(offsetBytes, lengthBytes);
    }

    @Override
    public void close() {
    }
}

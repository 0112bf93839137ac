package io.replicator.core.bitmap;

import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** A test-only volume over a heap array that counts writes and can be told to fail the next one. */
final class ByteArrayVolume implements Volume {
    private final byte[] bytes;
    private int writeCount;
    private boolean failNextWrite;

    ByteArrayVolume(int sizeBytes) {
        this.bytes = new byte[sizeBytes];
    }

    byte[] bytes() {
        return bytes;
    }

    int writeCount() {
        return writeCount;
    }

    void failNextWrite() {
        failNextWrite = true;
    }

    @Override
    public long sizeBytes() {
        return bytes.length;
    }

    @Override
    public synchronized void read(ByteBuffer dst, long offsetBytes) {
        Volume.checkRange(offsetBytes, dst.remaining(), bytes.length);
        dst.put(bytes, (int) offsetBytes, dst.remaining());
    }

    @Override
    public synchronized void write(ByteBuffer src, long offsetBytes) throws IOException {
        Volume.checkRange(offsetBytes, src.remaining(), bytes.length);
        if (failNextWrite) {
            failNextWrite = false;
            throw new IOException("injected write failure");
        }
        writeCount++;
        src.get(bytes, (int) offsetBytes, src.remaining());
    }

    @Override
    public void flush() {
    }

    @Override
    public synchronized void discard(long offsetBytes, long lengthBytes) {
        Volume.checkRange(offsetBytes, lengthBytes, bytes.length);
        Arrays.fill(bytes, (int) offsetBytes, (int) (offsetBytes + lengthBytes), (byte) 0);
    }

    @Override
    public void close() {
    }
}

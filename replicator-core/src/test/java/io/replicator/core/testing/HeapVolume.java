package io.replicator.core.testing;

import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** A volume over a byte array, for core's own tests (fixtures' InMemoryVolume cannot be used here: cycle). */
public final class HeapVolume implements Volume {
    private final byte[] bytes;
    private int flushes;
    private int writes;
    private boolean failNextWrite;

    public HeapVolume(long sizeBytes) {
        bytes = new byte[Math.toIntExact(sizeBytes)];
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
        writes++;
        src.get(bytes, (int) offsetBytes, src.remaining());
    }

    @Override
    public synchronized void flush() {
        flushes++;
    }

    @Override
    public synchronized void discard(long offsetBytes, long lengthBytes) {
        Volume.checkRange(offsetBytes, lengthBytes, bytes.length);
        Arrays.fill(bytes, (int) offsetBytes, (int) (offsetBytes + lengthBytes), (byte) 0);
    }

    @Override
    public void close() throws IOException {
    }

    /** Flushes so far. */
    public synchronized int flushes() {
        return flushes;
    }

    /** Successful writes so far. */
    public synchronized int writeCount() {
        return writes;
    }

    /** Makes the next write fail with an IOException, touching nothing. */
    public synchronized void failNextWrite() {
        failNextWrite = true;
    }

    /** The backing array itself (not a copy), for tests that inspect the raw layout. */
    public byte[] bytes() {
        return bytes;
    }

    /** Corrupts one byte, as a torn or decayed sector would. */
    public synchronized void corrupt(long offsetBytes) {
        bytes[Math.toIntExact(offsetBytes)] ^= 0x5A;
    }
}

package io.replicator.net.nbd;

import io.netty.buffer.ByteBuf;
import io.replicator.core.volume.Volume;

import java.io.IOException;

/**
 * Serves a local {@link Volume} as an NBD backend, without replication: TRIM and WRITE_ZEROES discard (the range
 * reads back as zeros, which satisfies NO_HOLE too since the volume never has holes it reports), FLUSH flushes the
 * volume (covering writes of every connection), and FUA is a flush after the operation.
 */
public final class VolumeNbdBackend implements NbdBackend {
    private final Volume volume;

    public VolumeNbdBackend(Volume volume) {
        this.volume = volume;
    }

    @Override
    public long sizeBytes() {
        return volume.sizeBytes();
    }

    @Override
    public void read(long offset, int length, ByteBuf dst) throws NbdException {
        try {
            volume.read(dst, offset, length);
        } catch (IOException | IllegalArgumentException failure) {
            throw eio("read", failure);
        }
    }

    @Override
    public void write(long offset, ByteBuf src, boolean fua) throws NbdException {
        try {
            volume.write(src, offset);
            if (fua) {
                volume.flush();
            }
        } catch (IOException | IllegalArgumentException failure) {
            throw eio("write", failure);
        }
    }

    @Override
    public void flush() throws NbdException {
        try {
            volume.flush();
        } catch (IOException failure) {
            throw eio("flush", failure);
        }
    }

    @Override
    public void trim(long offset, long length, boolean fua) throws NbdException {
        writeZeroes(offset, length, fua, false);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua, boolean noHole) throws NbdException {
        try {
            volume.discard(offset, length);
            if (fua) {
                volume.flush();
            }
        } catch (IOException | IllegalArgumentException failure) {
            throw eio("zero", failure);
        }
    }

    private static NbdException eio(String what, Exception failure) {
        return new NbdException(NbdException.EIO, what + " failed: " + failure.getMessage(), failure);
    }
}

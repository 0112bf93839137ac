package io.replicator.net.nbd;

import io.netty.buffer.ByteBuf;
import io.replicator.core.resource.VolumeIo;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An NBD export of one volume: the replicated data path, with its errors in NBD's terms. */
public final class ReplicatedVolumeBackend implements NbdBackend {
    private final VolumeIo io;

    public ReplicatedVolumeBackend(VolumeIo io) {
        this.io = io;
    }

    @Override
    public long sizeBytes() {
        return io.sizeBytes();
    }

    @Override
    public void read(long offset, int length, ByteBuf dst) throws NbdException {
        call(() -> io.read(offset, length, dst));
    }

    @Override
    public void write(long offset, ByteBuf src, boolean fua) throws NbdException {
        call(() -> io.write(offset, src, fua));
    }

    /** Returns once written locally; the stage completes on the thread that gets the peers' acks. */
    @Override
    public CompletionStage<Void> writeAsync(long offset, ByteBuf src, boolean fua) throws NbdException {
        CompletableFuture<Void> replicated;
        try {
            replicated = io.writeAsync(offset, src, fua);
        } catch (IOException failure) {
            throw translate(failure);
        }
        return replicated.exceptionallyCompose(
            failure -> CompletableFuture.failedFuture(translate(VolumeIo.failure(failure))));
    }

    @Override
    public void flush() throws NbdException {
        call(io::flush);
    }

    @Override
    public void trim(long offset, long length, boolean fua) throws NbdException {
        call(() -> io.discard(offset, length, fua));
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua, boolean noHole) throws NbdException {
        call(() -> io.discard(offset, length, fua));
    }

    /** One call on the data path. */
    @FunctionalInterface
    private interface Call {
        void run() throws IOException;
    }

    private static void call(Call call) throws NbdException {
        try {
            call.run();
        } catch (IOException failure) {
            throw translate(failure);
        }
    }

    private static NbdException translate(IOException failure) {
        return failure instanceof VolumeIo.ClosedException
            ? new NbdException(NbdException.ESHUTDOWN, failure.getMessage(), failure)
            : new NbdException(NbdException.EIO, failure.getMessage(), failure);
    }
}

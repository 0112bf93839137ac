package io.replicator.net.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Performs one checked request against a backend on an I/O thread and builds its reply. A failed READ sends no
 * data: its buffer is released before the error reply is made, so a reply never carries partial data.
 */
final class NbdRequestExecution {
    private NbdRequestExecution() {
    }

    /**
     * Runs {@code request} as far as it runs on this thread; does not release it (the caller may once this
     * returns). A write's reply follows the backend's {@link NbdBackend#writeAsync} stage; every other request is
     * answered at once. The stage never fails: backend failures become error replies.
     */
    static CompletionStage<NbdReply> performAsync(NbdRequest request, NbdBackend backend, ByteBufAllocator alloc) {
        if (request.type() != NbdDescriptor.CMD_WRITE) {
            return CompletableFuture.completedFuture(perform(request, backend, alloc));
        }
        long cookie = request.cookie();
        CompletionStage<Void> written;
        try {
            written = backend.writeAsync(request.offset(), request.content(),
                (request.flags() & NbdDescriptor.CMD_FLAG_FUA) != 0);
        } catch (Exception failure) {
            return CompletableFuture.completedFuture(errorReply(cookie, failure));
        }
        return written.handle((done, failure) -> failure == null ? NbdReply.done(cookie)
            : errorReply(cookie, failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure));
    }

    private static NbdReply errorReply(long cookie, Throwable failure) {
        return failure instanceof NbdException nbd ? NbdReply.error(cookie, nbd.errno(), nbd.getMessage())
            : NbdReply.error(cookie, NbdException.EIO, String.valueOf(failure.getMessage()));
    }

    /** Runs {@code request}; does not release it. Backend failures become error replies. */
    static NbdReply perform(NbdRequest request, NbdBackend backend, ByteBufAllocator alloc) {
        long cookie = request.cookie();
        long offset = request.offset();
        boolean fua = (request.flags() & NbdDescriptor.CMD_FLAG_FUA) != 0;
        ByteBuf data = null;
        try {
            switch (request.type()) {
                case NbdDescriptor.CMD_READ -> {
                    int length = (int) request.length();
                    data = alloc.ioBuffer(length, length);
                    backend.read(offset, length, data);
                    if (data.readableBytes() != length) {
                        throw new NbdException(NbdException.EIO, "the backend read " + data.readableBytes()
                            + " of " + length + " bytes");
                    }
                    NbdReply reply = NbdReply.data(cookie, offset, data);
                    data = null;
                    return reply;
                }
                case NbdDescriptor.CMD_WRITE -> backend.write(offset, request.content(), fua);
                case NbdDescriptor.CMD_FLUSH -> backend.flush();
                case NbdDescriptor.CMD_TRIM -> backend.trim(offset, request.length(), fua);
                case NbdDescriptor.CMD_WRITE_ZEROES -> backend.writeZeroes(offset, request.length(), fua,
                    (request.flags() & NbdDescriptor.CMD_FLAG_NO_HOLE) != 0);
                case NbdDescriptor.CMD_CACHE -> backend.cache(offset, request.length());
                default -> throw new NbdException(NbdException.EINVAL, "unknown command " + request.type());
            }
            return NbdReply.done(cookie);
        } catch (Exception failure) {
            return errorReply(cookie, failure);
        } finally {
            if (data != null) {
                data.release();
            }
        }
    }
}

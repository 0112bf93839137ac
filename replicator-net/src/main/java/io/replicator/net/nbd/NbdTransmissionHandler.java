package io.replicator.net.nbd;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Serves one attached connection: checks each request against the export, runs it on the I/O pool and sends the
 * reply back on the event loop as soon as it completes (replies go out of order).
 *
 * <p>Invariants: {@code inFlightRequests} and {@code inFlightBytes} are touched only on the event loop; the channel
 * reads only while both are under their bounds and the channel is writable, so a client cannot queue unbounded work.
 * Every request is released exactly once: at once when refused, or on the I/O thread when executed. After
 * {@link #shutdown()} every request, in flight or new, is answered ESHUTDOWN and the connection closes as soon as
 * nothing is in flight. A DISC closes once nothing is in flight.
 */
final class NbdTransmissionHandler extends SimpleChannelInboundHandler<NbdRequest> {
    /** Makes the handler for a connection that attached to {@code export}. */
    interface Factory {
        NbdTransmissionHandler create(NbdExport export);
    }

    private final NbdExport export;
    private final Executor io;
    private final NbdServer.Options options;
    private final Consumer<NbdTransmissionHandler> onAttached;
    private final Consumer<NbdTransmissionHandler> onClosed;
    private ChannelHandlerContext ctx;
    private int inFlightRequests;
    private long inFlightBytes;
    private boolean shuttingDown;
    private boolean closing;
    private boolean closeRequested;

    NbdTransmissionHandler(NbdExport export, Executor io, NbdServer.Options options,
                           Consumer<NbdTransmissionHandler> onAttached, Consumer<NbdTransmissionHandler> onClosed) {
        super(NbdRequest.class, false);
        this.export = export;
        this.io = io;
        this.options = options;
        this.onAttached = onAttached;
        this.onClosed = onClosed;
    }

    /** The export this connection is attached to. */
    NbdExport export() {
        return export;
    }

    /** The client's address (null before the handler is added). */
    /**
     * Whether the connection is open. The set of attached handlers is updated from channelInactive, which runs after
     * the close future completes, so a caller that has just awaited a close asks this rather than trust the set.
     */
    boolean isOpen() {
        return ctx != null && ctx.channel().isOpen();
    }

    SocketAddress remoteAddress() {
        return ctx == null ? null : ctx.channel().remoteAddress();
    }

    /** Answers everything from now on with ESHUTDOWN and closes once nothing is in flight; returns the close. */
    ChannelFuture shutdown() {
        ctx.executor().execute(() -> {
            shuttingDown = true;
            closeIfIdle();
        });
        return ctx.channel().closeFuture();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        onAttached.accept(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        onClosed.accept(this);
        super.channelInactive(context);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, NbdRequest request) {
        if (closing) {
            request.release();
            return;
        }
        if (request.type() == NbdDescriptor.CMD_DISC) {
            request.release();
            closing = true;
            context.channel().config().setAutoRead(false);
            closeIfIdle();
            return;
        }
        if (shuttingDown) {
            refuse(request, NbdException.ESHUTDOWN, "the export is shutting down");
            return;
        }
        NbdException refusal = NbdRequestCheck.check(request, export);
        if (refusal != null) {
            refuse(request, refusal.errno(), refusal.getMessage());
            return;
        }
        long cost = request.type() == NbdDescriptor.CMD_READ || request.type() == NbdDescriptor.CMD_WRITE
            ? request.length() : 0;
        inFlightRequests++;
        inFlightBytes += cost;
        updateAutoRead();
        try {
            io.execute(() -> execute(request, cost));
        } catch (RejectedExecutionException stopped) {
            request.release();
            complete(NbdReply.error(request.cookie(), NbdException.ESHUTDOWN, "the server is stopping"), cost);
        }
    }

    private void refuse(NbdRequest request, int errno, String message) {
        long cookie = request.cookie();
        request.release();
        ctx.writeAndFlush(NbdReply.error(cookie, errno, message), ctx.voidPromise());
    }

    /**
     * Runs on an I/O thread: performs the request, releases it, and hands the reply to the event loop — at once, or
     * for a write from whichever thread completes it (the peer's ack, with replication), so no I/O thread waits.
     */
    private void execute(NbdRequest request, long cost) {
        long cookie = request.cookie();
        CompletionStage<NbdReply> reply;
        try {
            reply = NbdRequestExecution.performAsync(request, export.backend(), ctx.alloc());
        } catch (RuntimeException | Error failure) {
            options.errorLog().accept(failure);
            reply = CompletableFuture.completedFuture(NbdReply.error(cookie, NbdException.EIO, "internal error"));
        } finally {
            request.release();
        }
        reply.whenComplete((done, failure) -> {
            NbdReply answer = done;
            if (failure != null) {
                options.errorLog().accept(failure);
                answer = NbdReply.error(cookie, NbdException.EIO, "internal error");
            }
            NbdReply finished = answer;
            try {
                ctx.executor().execute(() -> complete(finished, cost));
            } catch (RejectedExecutionException loopGone) {
                finished.release();
            }
        });
    }

    private void complete(NbdReply reply, long cost) {
        inFlightRequests--;
        inFlightBytes -= cost;
        NbdReply answer = reply;
        if (shuttingDown && reply.error() == 0) {
            reply.release();
            answer = NbdReply.error(reply.cookie(), NbdException.ESHUTDOWN, "the export is shutting down");
        }
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(answer, ctx.voidPromise());
        } else {
            answer.release();
        }
        updateAutoRead();
        closeIfIdle();
    }

    private void closeIfIdle() {
        if ((shuttingDown || closing) && inFlightRequests == 0 && !closeRequested) {
            closeRequested = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void updateAutoRead() {
        boolean read = !closing && inFlightRequests < options.maxInFlightRequests()
            && inFlightBytes < options.maxInFlightBytes() && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
        updateAutoRead();
        super.channelWritabilityChanged(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (!(cause instanceof IOException) && !(cause instanceof DecoderException)) {
            options.errorLog().accept(cause);
        }
        context.close();
    }
}

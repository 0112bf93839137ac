package io.replicator.net.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.replicator.net.transport.ChannelMove;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The only handler of a freshly accepted channel: collects the 16-byte {@link Preamble}, closes the socket if it is
 * not one, and otherwise stops reading and asks the {@link PeerAcceptor} to route it. The link that takes the socket
 * calls {@link #handOver} (which installs the handshake and passes on whatever arrived after the preamble) or
 * {@link #reject}. A socket that sends no preamble within the time limit is closed. One per channel; not sharable.
 */
final class PreambleHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(PreambleHandler.class.getName());

    private final PeerAcceptor acceptor;
    private final long timeoutMs;
    private ChannelHandlerContext ctx;
    /** Bytes received so far: the preamble, then whatever follows it until the hand-over. */
    private ByteBuf received;
    private boolean routed;
    private ScheduledFuture<?> timer;

    PreambleHandler(PeerAcceptor acceptor, long timeoutMs) {
        this.acceptor = acceptor;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        timer = context.executor().schedule(() -> {
            if (!routed) {
                LOG.log(System.Logger.Level.INFO, "{0}: no preamble from {1} within {2} ms; closing",
                    acceptor, context.channel().remoteAddress(), timeoutMs);
                context.close();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (received == null) {
                received = context.alloc().buffer(Math.max(Preamble.BYTES, bytes.readableBytes()));
            }
            received.writeBytes(bytes);
        } finally {
            bytes.release();
        }
        if (routed || received.readableBytes() < Preamble.BYTES) {
            return;
        }
        Preamble preamble;
        try {
            preamble = Preamble.decode(received);
        } catch (Preamble.MalformedPreambleException e) {
            LOG.log(System.Logger.Level.INFO, "{0}: closing the connection from {1}: {2}", acceptor,
                context.channel().remoteAddress(), e.getMessage());
            context.close();
            return;
        }
        routed = true;
        context.channel().config().setAutoRead(false);
        acceptor.route(context.channel(), preamble, this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        discard();
        context.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: error on an unrouted connection from {1}: {2}", acceptor,
            context.channel().remoteAddress(), cause.toString());
        context.close();
    }

    /**
     * Gives the channel to its link (from any thread): on the channel's event loop this handler leaves; the channel
     * moves to {@code home}, the link's event loop, unless it is there already (so that everything of one link —
     * reading either channel, its state, its writes — runs on one thread, as for the channels the link dials); there
     * {@code install} adds the link's handlers, the bytes after the preamble go in at the head of the new pipeline,
     * and reading resumes. If the channel closed meanwhile, cannot move, or {@code install} declines (false) or fails,
     * the channel is closed and {@code onClosed} runs instead.
     */
    void handOver(EventLoop home, Predicate<Channel> install, Runnable onClosed) {
        ctx.executor().execute(() -> {
            Channel channel = ctx.channel();
            if (!channel.isActive()) {
                // The epoll transport closes a socket whose peer shut its side down even while we are not reading.
                LOG.log(System.Logger.Level.INFO, "{0}: closing the connection from {1}: it closed before its link"
                    + " took it", acceptor, channel.remoteAddress());
                discard();
                onClosed.run();
                return;
            }
            ByteBuf rest = received;
            received = null;
            ctx.pipeline().remove(this);
            ChannelMove.to(home, channel, rest, install, why -> {
                if (why != null) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: cannot hand the connection from {1} to its link: {2}",
                        acceptor, channel.remoteAddress(), why);
                } else {
                    LOG.log(System.Logger.Level.INFO, "{0}: closing the connection from {1}: it closed, or its link"
                        + " let it go, while it moved to the link", acceptor, channel.remoteAddress());
                }
                onClosed.run();
            });
        });
    }

    /** Closes the channel (from any thread), logging {@code reason}. */
    void reject(String reason) {
        ctx.executor().execute(() -> {
            LOG.log(System.Logger.Level.INFO, "{0}: closing the connection from {1}: {2}", acceptor,
                ctx.channel().remoteAddress(), reason);
            discard();
            ctx.close();
        });
    }

    private void discard() {
        if (received != null) {
            received.release();
            received = null;
        }
    }
}

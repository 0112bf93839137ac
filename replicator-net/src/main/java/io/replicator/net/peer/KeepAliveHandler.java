package io.replicator.net.peer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.replicator.net.protocol.PeerMessage;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive on the control channel, behind an {@code IdleStateHandler} that fires READER_IDLE after
 * {@code ping-int} without a read. Then it sends a {@link PeerMessage.Ping}; if nothing at all is read within
 * {@code ping-timeout} after it, it fires a {@link PingTimeoutException} and the session is torn down. It answers
 * the peer's pings with {@link PeerMessage.PingAck} and swallows pings and ping acks: they never reach the listener.
 * Only the control channel has it: the data channel may legitimately stall behind 1 MiB frames or a paused reader.
 *
 * <p>It also measures the round trip: the time from writing its ping to reading the next ping ack, kept as the last
 * value for status ({@link #lastRttNanos}). A busy control channel is never idle, so it pings, and measures, only
 * when the link is quiet; the value then stays as last measured.
 */
final class KeepAliveHandler extends ChannelInboundHandlerAdapter {
    private final long pingTimeoutMs;
    /** Set while a ping is unanswered. */
    private ScheduledFuture<?> timeout;
    /** When the unanswered ping was written (System.nanoTime), or 0 when none is; event loop only. */
    private long pingSentNanos;
    /** The last measured round trip, or -1 before the first; written on the event loop, read by status. */
    private volatile long lastRttNanos = -1;

    KeepAliveHandler(long pingTimeoutMs) {
        this.pingTimeoutMs = pingTimeoutMs;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof IdleStateEvent idle)) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        if (idle.state() == IdleState.READER_IDLE && timeout == null) {
            ctx.writeAndFlush(new PeerMessage.Ping(), ctx.voidPromise());
            pingSentNanos = Math.max(1, System.nanoTime());
            timeout = ctx.executor().schedule(() -> {
                timeout = null;
                ctx.fireExceptionCaught(new PingTimeoutException(pingTimeoutMs));
            }, pingTimeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        cancel();
        if (msg instanceof PeerMessage.Ping) {
            ctx.writeAndFlush(new PeerMessage.PingAck(), ctx.voidPromise());
        } else if (msg instanceof PeerMessage.PingAck) {
            if (pingSentNanos != 0) {
                lastRttNanos = Math.max(0, System.nanoTime() - pingSentNanos);
                pingSentNanos = 0;
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /** The round trip of the last answered ping; empty before the first answer. Any thread. */
    OptionalLong lastRttNanos() {
        long rtt = lastRttNanos;
        return rtt < 0 ? OptionalLong.empty() : OptionalLong.of(rtt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /** The peer did not answer a ping in time: its control channel, and so the session, is dead. */
    static final class PingTimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        PingTimeoutException(long pingTimeoutMs) {
            super("ping ack did not arrive in time (ping-timeout " + pingTimeoutMs + " ms)");
        }
    }
}

package io.replicator.net.peer;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.replicator.net.handshake.HandshakeCompleted;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One live pair of channels to the peer: data (writes, barriers, resync, connect-time exchanges) and control (acks,
 * pings). Made by the {@link PeerLink} once both channels completed the handshake; dead for good once closed (the
 * link makes a new session on reconnect).
 *
 * <p>Sending is thread-safe: {@link #send} picks the channel from {@link MessageType#stream()} and hands the message
 * to Netty, which writes it on the channel's event loop. Messages on one stream arrive in the order of the send calls,
 * whichever threads make them, as long as those calls are ordered (one thread, or one lock as the transfer log holds):
 * a call made on the channel's own event loop is queued behind the writes other threads queued before it instead of
 * running at once. Nothing is flushed until {@link #flush()} or {@link #sendAndFlush}.
 */
public final class PeerSession {
    private final PeerLink link;
    private final long id;
    private final Channel data;
    private final Channel control;
    private final HandshakeCompleted handshake;
    private volatile boolean open = true;

    PeerSession(PeerLink link, long id, Channel data, Channel control, HandshakeCompleted handshake) {
        this.link = link;
        this.id = id;
        this.data = data;
        this.control = control;
        this.handshake = handshake;
    }

    public int peerNodeId() {
        return link.options().peerNodeId();
    }

    /** Increasing per link: a later session of the same link has a larger id. For logs and status. */
    public long id() {
        return id;
    }

    /** The data channel's handshake outcome: agreed protocol version, features, the peer's settings. */
    public HandshakeCompleted handshake() {
        return handshake;
    }

    /**
     * Writes {@code message} on its stream's channel, without flushing. Takes over the caller's reference to a
     * reference-counted message: it is released once written, or at once if the session is closed. A write that
     * fails closes the session.
     */
    public void send(PeerMessage message) {
        if (!open) {
            ReferenceCountUtil.release(message);
            return;
        }
        Channel channel = channelFor(message);
        inOrder(channel, message, () -> channel.write(message, channel.voidPromise()));
    }

    /** Flushes both channels (after the messages sent before this call). */
    public void flush() {
        inOrder(data, null, data::flush);
        inOrder(control, null, control::flush);
    }

    /** {@link #send} and flush of that message's channel. */
    public void sendAndFlush(PeerMessage message) {
        if (!open) {
            ReferenceCountUtil.release(message);
            return;
        }
        Channel channel = channelFor(message);
        inOrder(channel, message, () -> channel.writeAndFlush(message, channel.voidPromise()));
    }

    /**
     * {@link #sendAndFlush}, then runs {@code onWritten} once the message was written to the socket (protocol A's
     * "handed over to the network"). It does not run if the write fails or the session is closed: the session then
     * ends, and its owner learns of that through {@code disconnected}.
     */
    public void sendAndFlush(PeerMessage message, Runnable onWritten) {
        if (!open) {
            ReferenceCountUtil.release(message);
            return;
        }
        Channel channel = channelFor(message);
        inOrder(channel, message, () -> channel.writeAndFlush(message).addListener(future -> {
            if (future.isSuccess()) {
                onWritten.run();
            } else {
                channel.pipeline().fireExceptionCaught(future.cause());
            }
        }));
    }

    /**
     * Whether the data channel takes more writes without growing its outbound buffer past the high water mark; a
     * sender that respects it keeps memory bounded when the peer or the network is slow.
     */
    public boolean isWritable() {
        return data.isWritable();
    }

    /**
     * Pauses ({@code false}) or resumes reading from the data channel: receiver back-pressure (max-buffers).
     * Messages already read and decoded are still delivered; the control channel is never paused, so acks and pings
     * keep flowing.
     */
    public void setDataAutoRead(boolean on) {
        data.config().setAutoRead(on);
    }

    /** The link's event loop: the thread that delivers every message of this session to the listener. */
    public Executor eventLoop() {
        return link.eventLoop();
    }

    /** Ends the session: both channels close and the listener hears {@code disconnected}; the link reconnects. */
    public void close(String reason) {
        link.closeSession(this, reason);
    }

    /** False once the session has ended (or is ending); sends are then dropped. */
    public boolean isOpen() {
        return open;
    }

    /** "ip:port" of the peer end of the data channel ("[ip]:port" for IPv6). */
    public String remoteAddress() {
        return describe(data.remoteAddress());
    }

    /**
     * The round trip of the last keep-alive ping the peer answered on the control channel (PING written to PING_ACK
     * read); empty before the first answer. Pings go out only when the control channel has been quiet for
     * {@code ping-int}, so on a busy link this is the value from its last quiet moment.
     */
    public OptionalLong pingRttNanos() {
        if (control.pipeline().get(PeerPipeline.KEEP_ALIVE) instanceof KeepAliveHandler keepAlive) {
            return keepAlive.lastRttNanos();
        }
        return OptionalLong.empty();
    }

    /** "ip:port" of this node's end of the data channel. */
    public String localAddress() {
        return describe(data.localAddress());
    }

    @Override
    public String toString() {
        return "session " + id + " with node " + peerNodeId() + " at " + remoteAddress();
    }

    Channel data() {
        return data;
    }

    Channel control() {
        return control;
    }

    /** Marks the session closed; true for the one call that did it. Only on the link's event loop. */
    boolean markClosed() {
        boolean was = open;
        open = false;
        return was;
    }

    /**
     * Runs {@code write} (an operation on {@code channel}) so that it takes its turn after everything already queued
     * for the channel's event loop. From another thread Netty queues the operation itself; on the event loop it would
     * run at once, overtaking writes that other threads queued earlier (a barrier sent when an ack closes an epoch
     * would overtake the epoch's last writes), so there it is queued as a task. {@code message} is released if the
     * loop no longer takes tasks.
     */
    private static void inOrder(Channel channel, Object message, Runnable write) {
        EventLoop loop = channel.eventLoop();
        if (!loop.inEventLoop()) {
            write.run();
            return;
        }
        try {
            loop.execute(write);
        } catch (RejectedExecutionException shuttingDown) {
            ReferenceCountUtil.release(message);
        }
    }

    private Channel channelFor(PeerMessage message) {
        return message.type().stream() == MessageType.Stream.DATA ? data : control;
    }

    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}

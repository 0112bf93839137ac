package io.replicator.net.peer;

import io.replicator.net.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.replicator.core.config.NetConfig;
import io.replicator.net.handshake.HandshakeCompleted;
import io.replicator.net.handshake.HandshakeFailed;
import io.replicator.net.handshake.HandshakeOptions;
import io.replicator.net.handshake.HandshakePipeline;
import io.replicator.net.protocol.Compression;
import io.replicator.net.protocol.DigestKind;
import io.replicator.net.protocol.MessageEncoder;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven dialer: sends a real preamble and runs the real handshake on one or both channels, then leaves the
 * channels raw, so that a test can write any bytes at a {@link PeerLink} that believes it talks to a peer. What the
 * link sends back (pings) is read and dropped.
 */
final class RawDialer implements AutoCloseable {
    final Channel data;
    final Channel control;

    private RawDialer(Channel data, Channel control) {
        this.data = data;
        this.control = control;
    }

    /**
     * Connects to {@code target} as node {@code node} dialing {@code peer}: the data channel, then (if
     * {@code withControl}) the control channel with the same nonce, each through the handshake.
     */
    static RawDialer connect(EventLoopGroup group, InetSocketAddress target, int node, int peer, NetConfig net,
                             boolean withControl) throws Exception {
        long nonce = System.nanoTime();
        HandshakeOptions options = HandshakeOptions.of(node, peer, net, false).withTimeout(Duration.ofSeconds(10));
        Channel data = open(group, target, new Preamble(MessageType.Stream.DATA, node, peer, nonce), options);
        Channel control = withControl
            ? open(group, target, new Preamble(MessageType.Stream.CONTROL, node, peer, nonce), options) : null;
        return new RawDialer(data, control);
    }

    /** One channel: preamble, handshake; returns once the handshake completed (fails if it did not). */
    static Channel open(EventLoopGroup group, InetSocketAddress target, Preamble preamble, HandshakeOptions options)
        throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Channel channel = new Bootstrap().group(group).channel(NettyTransport.of(group).socketChannel())
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    HandshakePipeline.addTo(ch, options, Optional.<SslContext>empty());
                    ch.pipeline().addFirst(new PreambleWriter(preamble));
                    ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                            if (event instanceof HandshakeCompleted || event instanceof HandshakeFailed) {
                                outcome.complete(event);
                            }
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            outcome.complete("closed");
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            ctx.close();
                        }
                    });
                }
            })
            .connect(target).sync().channel();
        Object result = outcome.get(10, TimeUnit.SECONDS);
        if (!(result instanceof HandshakeCompleted)) {
            channel.close();
            throw new AssertionError("handshake of " + preamble.stream() + " did not complete: " + result);
        }
        return channel;
    }

    /** The frame(s) {@code message} encodes to, as one buffer. */
    static ByteBuf encode(PeerMessage message, Compression compression, DigestKind digest) {
        EmbeddedChannel encoder = new EmbeddedChannel(new MessageEncoder(compression, digest));
        encoder.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        encoder.writeOutbound(message);
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.buffer();
        for (ByteBuf part; (part = encoder.readOutbound()) != null; ) {
            frame.writeBytes(part);
            part.release();
        }
        encoder.finishAndReleaseAll();
        return frame;
    }

    /** Waits until both channels are closed, by either side. */
    boolean awaitClosed(long timeoutMs) throws InterruptedException {
        boolean dataClosed = data.closeFuture().await(timeoutMs);
        return dataClosed && (control == null || control.closeFuture().await(timeoutMs));
    }

    @Override
    public void close() {
        data.close().awaitUninterruptibly(5_000);
        if (control != null) {
            control.close().awaitUninterruptibly(5_000);
        }
    }
}

package io.replicator.net.handshake;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two Netty endpoints over loopback TCP, each with the handshake installed, collecting what comes out of it: the
 * handshake event, the plaintext bytes the handshake saw, the pipeline after completion and any data after it.
 */
final class Loopback implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    /** One endpoint's configuration. */
    record Side(HandshakeOptions options, Optional<SslContext> tls) {
        static Side plain(HandshakeOptions options) {
            return new Side(options, Optional.empty());
        }
    }

    /** What one endpoint observed. */
    static final class Observed extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Object> outcome = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final AtomicLong plaintextBytes = new AtomicLong();
        final List<String> namesAfterCompletion = new CopyOnWriteArrayList<>();
        final StringBuffer dataAfter = new StringBuffer();
        volatile Channel channel;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof HandshakeCompleted || event instanceof HandshakeFailed) {
                if (event instanceof HandshakeCompleted) {
                    ctx.executor().execute(() -> {
                        namesAfterCompletion.addAll(ctx.pipeline().names());
                        outcome.complete(event);
                    });
                } else {
                    outcome.complete(event);
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf data) {
                dataAfter.append(data.toString(StandardCharsets.UTF_8));
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            outcome.complete(cause);
        }

        Object await() throws Exception {
            return outcome.get(10, TimeUnit.SECONDS);
        }
    }

    /** Counts the plaintext bytes that reach the handshake framing. */
    private static final class Probe extends ChannelInboundHandlerAdapter {
        private final Observed observed;

        Probe(Observed observed) {
            this.observed = observed;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf data) {
                observed.plaintextBytes.addAndGet(data.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }

    final Observed server = new Observed();
    final Observed client = new Observed();
    private Channel listener;

    /** Connects {@code clientSide} to {@code serverSide}; the handshake runs at once. */
    Loopback(Side serverSide, Side clientSide) throws InterruptedException {
        this(serverSide);
        new Bootstrap().group(group).channel(NioSocketChannel.class)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .handler(initializer(clientSide, client))
            .connect(listener.localAddress()).sync();
    }

    /** Only the accepting endpoint; connect to {@link #address()} by other means. */
    Loopback(Side serverSide) throws InterruptedException {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childHandler(initializer(serverSide, server))
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    private static ChannelInitializer<SocketChannel> initializer(Side side, Observed observed) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                observed.channel = ch;
                HandshakePipeline.addTo(ch, side.options(), side.tls());
                if (side.tls().isPresent()) {
                    ch.pipeline().addAfter(HandshakePipeline.TLS, "probe", new Probe(observed));
                } else {
                    ch.pipeline().addFirst("probe", new Probe(observed));
                }
                ch.pipeline().addLast("observed", observed);
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        for (Observed side : List.of(server, client)) {
            if (side.channel != null) {
                side.channel.close().await(5, TimeUnit.SECONDS);
            }
        }
        listener.close().await(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}

package io.replicator.net.nbd;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.replicator.net.transport.NettyTransport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fixed-newstyle NBD server: listens on TCP addresses and Unix domain socket paths and serves the exports of an
 * {@link NbdExports}, asked afresh at every handshake.
 *
 * <p>Threads: Netty event loops do only framing, encoding and the handshake; every request runs on a bounded pool
 * of I/O threads, and replies go out as requests complete. Each connection has its own bound on requests in flight
 * (see {@link Options}). A client that breaks the protocol loses only its own connection.
 */
public final class NbdServer implements AutoCloseable {
    /**
     * Tuning of a server.
     *
     * @param ioThreads           threads that run requests against the backends
     * @param eventLoopThreads    Netty event loop threads
     * @param maxInFlightRequests requests of one connection being executed at once before it stops reading
     * @param maxInFlightBytes    READ and WRITE bytes of one connection in flight at once before it stops reading
     * @param handshakeTimeout    how long a client may take to attach before it is dropped (zero: no limit)
     * @param errorLog            hears of unexpected failures (bugs, backend runtime errors); must not throw
     */
    public record Options(int ioThreads, int eventLoopThreads, int maxInFlightRequests, long maxInFlightBytes,
                          Duration handshakeTimeout, Consumer<Throwable> errorLog) {
        public Options {
            if (ioThreads < 1 || eventLoopThreads < 1 || maxInFlightRequests < 1 || maxInFlightBytes < 1) {
                throw new IllegalArgumentException("thread counts and in-flight bounds must be positive");
            }
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            Objects.requireNonNull(errorLog, "errorLog");
        }

        /** 8 I/O threads, one event loop, 64 requests or 64 MiB in flight per connection, 30 s to attach. */
        public static Options defaults() {
            return new Options(8, 1, 64, 64L * 1024 * 1024, Duration.ofSeconds(30),
                failure -> System.getLogger(NbdServer.class.getName())
                    .log(System.Logger.Level.ERROR, "NBD server failure", failure));
        }

        /** These options with another I/O thread count. */
        public Options withIoThreads(int threads) {
            return new Options(threads, eventLoopThreads, maxInFlightRequests, maxInFlightBytes, handshakeTimeout,
                errorLog);
        }

        /** These options with another error log. */
        public Options withErrorLog(Consumer<Throwable> log) {
            return new Options(ioThreads, eventLoopThreads, maxInFlightRequests, maxInFlightBytes, handshakeTimeout,
                log);
        }
    }

    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 8 << 20);

    private final NettyTransport transport;
    /** Accepts connections and runs their handshakes. */
    private final EventLoopGroup group;
    /** Where attached connections run: lent by the caller (never shut down here), or null for {@link #group}. */
    private final EventLoopGroup lent;
    private final ExecutorService io;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final Set<NbdTransmissionHandler> attached = ConcurrentHashMap.newKeySet();
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();

    private NbdServer(Options options, EventLoopGroup lent) {
        this.lent = lent;
        this.transport = lent == null ? NettyTransport.preferred() : NettyTransport.of(lent);
        this.group = transport.newGroup(options.eventLoopThreads());
        AtomicInteger threadNumber = new AtomicInteger();
        this.io = new ThreadPoolExecutor(options.ioThreads(), options.ioThreads(), 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "nbd-io-" + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
    }

    /** Binds every address of {@code listen} (an InetSocketAddress, or a UnixDomainSocketAddress) and serves. */
    public static NbdServer start(List<? extends SocketAddress> listen, NbdExports exports, Options options)
        throws IOException {
        return start(listen, exports, options, null);
    }

    /**
     * {@link #start(List, NbdExports, Options)}, with attached connections served on the event loops of
     * {@code loops} (closing the server leaves them running). A daemon serves a resource's export on the loop of the
     * resource's peer links: the peer's ack then completes the client's write on the thread that replies to it, with
     * no hand-off between loops. The handshake still runs on the server's own loops: looking an export up may wait
     * for the resource's owner thread, which may itself be waiting for that peer loop.
     */
    public static NbdServer start(List<? extends SocketAddress> listen, NbdExports exports, Options options,
                                  EventLoopGroup loops) throws IOException {
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("an NBD server needs at least one address to listen on");
        }
        NbdServer server = new NbdServer(options, loops);
        try {
            for (SocketAddress address : listen) {
                server.bind(address, exports, options);
            }
        } catch (IOException | RuntimeException failure) {
            server.close();
            throw failure;
        }
        return server;
    }

    private void bind(SocketAddress address, NbdExports exports, Options options) throws IOException {
        boolean unix = address instanceof UnixDomainSocketAddress;
        if (unix) {
            removeStaleSocket(((UnixDomainSocketAddress) address).getPath());
        } else if (!(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("cannot listen on " + address);
        }
        Class<? extends ServerChannel> type = unix ? transport.domainServerChannel() : transport.serverChannel();
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channel(type)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            // Reads grow to 1 MiB, so that a large WRITE arrives in a few reads rather than 64 KiB at a time.
            .childOption(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 1 << 20))
            .childHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel channel) {
                    connections.add(channel);
                    channel.closeFuture().addListener(closed -> connections.remove(channel));
                    NbdTransmissionHandler.Factory transmission = export -> new NbdTransmissionHandler(export, io,
                        options, attached::add, closed -> {
                            attached.remove(closed);
                            exports.detached(closed.export());
                        });
                    channel.pipeline()
                        .addLast("flush-consolidation", new FlushConsolidationHandler(256, true))
                        .addLast("nbd-handshake", new NbdHandshakeHandler(exports, transmission,
                            options.handshakeTimeout().toMillis(), lent == null ? null : lent.next()));
                }
            });
        if (!unix) {
            // A restarted daemon binds again while the last one's connections linger in TIME_WAIT (the JDK sets
            // this itself on its listening sockets; the epoll transport does not).
            bootstrap.option(ChannelOption.SO_REUSEADDR, true);
            bootstrap.childOption(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture bound = bootstrap.bind(unix ? transport.domainAddress((UnixDomainSocketAddress) address) : address)
            .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen on " + address + ": " + bound.cause(), bound.cause());
        }
        listeners.add(bound.channel());
        if (unix) {
            socketFiles.add(((UnixDomainSocketAddress) address).getPath());
        }
    }

    /** Deletes a socket file left by a dead server; refuses if something still answers on it. */
    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException("another server is already listening on " + path);
        } catch (IOException deadOrNotASocket) {
            if (deadOrNotASocket.getMessage() != null && deadOrNotASocket.getMessage().startsWith("another server")) {
                throw deadOrNotASocket;
            }
        }
        Files.delete(path);
    }

    /** The addresses actually bound, in the order given (a TCP port 0 shows the port chosen). */
    public List<SocketAddress> boundAddresses() {
        List<SocketAddress> bound = new ArrayList<>();
        for (Channel listener : listeners) {
            bound.add(NettyTransport.portable(listener.localAddress()));
        }
        return bound;
    }

    /** The remote addresses of the clients attached to {@code exportName} now. */
    public List<String> clients(String exportName) {
        List<String> clients = new ArrayList<>();
        for (NbdTransmissionHandler client : attached) {
            if (client.export().name().equals(exportName) && client.isOpen()) {
                SocketAddress remote = NettyTransport.portable(client.remoteAddress());
                clients.add(remote == null ? "unknown" : remote.toString());
            }
        }
        return clients;
    }

    /**
     * Answers every in-flight and later request of the clients attached to {@code exportName} with ESHUTDOWN,
     * then closes their connections; waits up to {@code timeout} for them to close and says whether they did.
     */
    public boolean disconnect(String exportName, Duration timeout) {
        List<ChannelFuture> closing = new ArrayList<>();
        for (NbdTransmissionHandler client : attached) {
            if (client.export().name().equals(exportName)) {
                closing.add(client.shutdown());
            }
        }
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        for (ChannelFuture close : closing) {
            long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0 || !close.awaitUninterruptibly(leftNs, TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #disconnect(String, Duration)} waiting up to 30 seconds. */
    public void disconnect(String exportName) {
        disconnect(exportName, Duration.ofSeconds(30));
    }

    /** Stops listening, closes every connection, lets running requests finish and stops the threads. */
    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        for (Channel connection : connections) {
            connection.close().awaitUninterruptibly();
        }
        io.shutdown();
        try {
            io.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        for (Path socket : socketFiles) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // A socket file we cannot delete is replaced by the next server that binds the path.
            }
        }
    }
}

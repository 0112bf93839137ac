package io.replicator.net.peer;

import io.replicator.net.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.replicator.net.handshake.HandshakeCompleted;
import io.replicator.net.handshake.HandshakeFailed;
import io.replicator.net.handshake.HandshakeOptions;
import io.replicator.net.handshake.HandshakePipeline;
import io.replicator.net.handshake.TlsContexts;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The transport to one peer: keeps a {@link PeerSession} (a data and a control channel) up and tells its
 * {@link PeerLinkListener} what happens. It moves {@link PeerMessage}s; it knows nothing of what they mean.
 *
 * <h2>Who dials</h2>
 * The node with the higher id dials every connection of the pair; the other only accepts. Both listen on the local
 * address of every path (the listener is shared with other links, see {@link PeerTransport}). DRBD dials from both
 * sides and drops one of two crossed sockets; a fixed direction makes that race impossible, at the cost of the lower
 * node never reconnecting on its own initiative (it need not: the higher one keeps dialing).
 *
 * <h2>A session</h2>
 * The dialer connects the data channel on the current path, with a random nonce in its {@link Preamble}; once its
 * handshake completed it connects the control channel on the same path with the same nonce. The acceptor pairs the
 * two by nonce. Each channel runs the full handshake ({@link HandshakePipeline}; the acceptor is the TLS server).
 * The session is up, and the listener hears {@code connected}, when both have completed; a pairing that stays half
 * up longer than the handshake timeout is torn down. While a session is up the acceptor refuses new connections
 * from the peer: a dialer that lost its session waits until this side notices (ping timeout, reset) too.
 *
 * <h2>Failures</h2>
 * Any decode error, integrity digest mismatch, I/O error, missed ping ack or close on either channel ends the
 * session: both channels close, the listener hears {@code disconnected} once, with the reason, and the dialer tries
 * again after {@code connect-int}, on the next path if the attempt never came up (wrapping around). A received
 * {@link PeerMessage.Disconnect} ends the session the same way ("peer disconnected"). A handshake failure that
 * retrying cannot fix (authentication, TLS, incompatible settings) stops the link for good: the listener hears
 * {@code refused}. Note that this holds for whoever connects: anyone who can reach the port can make the link
 * refuse by failing authentication, as with DRBD.
 *
 * <h2>Threads</h2>
 * The link is pinned to one event loop. All its state (the current {@link Pairing}, timers, the path index) is
 * touched only there, and every listener call is made there; channel events from accepted channels, which live on
 * other loops, are handed over to it in order. {@link #start()} and {@link #stop()} may be called from any thread;
 * {@code start()} binds listening sockets synchronously and must not be called on an event loop.
 */
public final class PeerLink {
    private static final System.Logger LOG = System.getLogger(PeerLink.class.getName());

    private final PeerTransport transport;
    private final EventLoop loop;
    private final PeerLinkOptions options;
    private final PeerLinkListener listener;
    private final HandshakeOptions handshake;
    private final Optional<SslContext> serverTls;
    private final Optional<SslContext> clientTls;
    private final Set<InetSocketAddress> localAddresses = new LinkedHashSet<>();
    private final SecureRandom random = new SecureRandom();
    /** Every channel of this link not closed yet, for {@link PeerTransport#close()}. */
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

    /**
     * Serializes {@link #start()} calls, which block while binding. Never taken on an event loop; the monitor of this
     * object, which event loops do take (refusal, a listener's stop), is never held while blocking.
     */
    private final Object startLock = new Object();
    /** Whether the link is started; written under the monitor. */
    private volatile boolean running;
    /** Bumped by each start; work scheduled for an older start is dropped. Written under the monitor. */
    private volatile int epoch;
    /** The session up now, for {@link #session()}. */
    private volatile PeerSession current;

    // Event loop only.
    private Pairing pairing;
    private ScheduledFuture<?> dialTimer;
    private int nextPath;
    private long sessionCount;
    /** When to dial again after a session or an attempt ended. */
    private final RedialPolicy redial;

    PeerLink(PeerTransport transport, EventLoop loop, PeerLinkOptions options, PeerLinkListener listener) {
        this.transport = transport;
        this.loop = loop;
        this.options = options;
        this.listener = listener;
        this.redial = new RedialPolicy(options.net().connectIntMs());
        this.handshake = options.handshake();
        this.serverTls = TlsContexts.server(options.net());
        this.clientTls = TlsContexts.client(options.net());
        for (PeerPath path : options.paths()) {
            localAddresses.add(path.localSocket());
        }
    }

    public PeerLinkOptions options() {
        return options;
    }

    /**
     * Starts listening on the local address of every path and, if this node dials, connecting. Does nothing if
     * already started. After {@link #stop()} or a refusal it starts afresh.
     *
     * @throws java.io.UncheckedIOException when a local address cannot be bound (in use, not an address of this
     *                                      host): the link stays stopped and holds no listener
     * @throws IllegalStateException        when another link of the same two nodes listens on the same address
     */
    public void start() {
        int started;
        synchronized (startLock) {
            synchronized (this) {
                if (running) {
                    return;
                }
                running = true;
                started = ++epoch;
            }
            try {
                transport.listen(this, localAddresses);
            } catch (RuntimeException e) {
                synchronized (this) {
                    if (epoch == started) {
                        running = false;
                    }
                }
                throw e;
            }
            synchronized (this) {
                if (!isCurrent(started)) {
                    // stopped or refused while binding: undo what the stop could not see yet
                    transport.unlisten(this, localAddresses);
                    return;
                }
            }
        }
        LOG.log(System.Logger.Level.INFO, "{0}: started, {1} on {2}", this,
            options.dials() ? "dialing" : "accepting", options.paths());
        loop.execute(() -> {
            if (isCurrent(started) && options.dials()) {
                dial(started);
            }
        });
    }

    /**
     * Stops the link: a connected peer gets a {@link PeerMessage.Disconnect} and then the data channel's FIN (the
     * channels close when the peer closes its end, or after {@code timeout}), the listener hears
     * {@code disconnected}, and this side neither dials nor accepts the peer until started again. Idempotent; any
     * thread (the listener too); returns without waiting.
     */
    public void stop() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            transport.unlisten(this, localAddresses);
        }
        LOG.log(System.Logger.Level.INFO, "{0}: stopped", this);
        loop.execute(this::onStop);
    }

    /** The session, while one is up. */
    public Optional<PeerSession> session() {
        PeerSession session = current;
        return session != null && session.isOpen() ? Optional.of(session) : Optional.empty();
    }

    /** Whether the link is started (and has not been refused). */
    public boolean isRunning() {
        return running;
    }

    @Override
    public String toString() {
        return "peer link " + options.localNodeId() + " -> " + options.peerNodeId();
    }

    // ---- dialing (event loop)

    private void dial(int started) {
        if (!isCurrent(started) || pairing != null) {
            return;
        }
        int index = nextPath % options.paths().size();
        Pairing attempt = new Pairing(started, random.nextLong(), index);
        pairing = attempt;
        connect(attempt, MessageType.Stream.DATA);
    }

    private void connect(Pairing attempt, MessageType.Stream stream) {
        PeerPath path = options.paths().get(attempt.pathIndex);
        Preamble preamble = new Preamble(stream, options.localNodeId(), options.peerNodeId(), attempt.nonce);
        ChannelFuture connected = new Bootstrap().group(loop).channel(NettyTransport.of(loop).socketChannel())
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, handshake.timeout()
                .toMillis()))
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, PeerPipeline.WATER_MARK)
            .option(ChannelOption.RECVBUF_ALLOCATOR, PeerPipeline.RECEIVE_BUFFERS)
            .handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel channel) {
                    HandshakePipeline.addTo(channel, handshake, clientTls);
                    channel.pipeline().addFirst(PeerPipeline.PREAMBLE, new PreambleWriter(preamble));
                    channel.pipeline().addLast(PeerPipeline.PEER, new PeerChannelHandler(PeerLink.this, attempt,
                        stream));
                }
            })
            .connect(path.peerSocket(), path.localSource());
        Channel channel = connected.channel();
        attach(attempt, stream, channel);
        connected.addListener(done -> {
            if (!done.isSuccess() && isLive(attempt)) {
                end(attempt, "cannot connect the " + DisconnectReasons.channel(stream) + " to " + path.peer().endpoint() + ": "
                    + DisconnectReasons.describe(done.cause()));
            }
        });
    }

    private void scheduleDial(int started) {
        scheduleDial(started, options.net().connectIntMs());
    }

    private void scheduleDial(int started, long delayMs) {
        if (!isCurrent(started)) {
            return;
        }
        if (dialTimer != null) {
            dialTimer.cancel(false);
        }
        dialTimer = loop.schedule(() -> dial(started), delayMs, TimeUnit.MILLISECONDS);
    }

    /** The loop this link is pinned to. */
    EventLoop eventLoop() {
        return loop;
    }

    // ---- accepting (called from an acceptor's loop; decided on ours)

    /** A connection from the peer, its preamble read: take it for the current pairing, or turn it away. */
    void offer(Channel channel, Preamble preamble, PreambleHandler handler) {
        loop.execute(() -> decide(channel, preamble, handler));
    }

    private void decide(Channel channel, Preamble preamble, PreambleHandler handler) {
        MessageType.Stream stream = preamble.stream();
        if (!running) {
            handler.reject("the link to node " + options.peerNodeId() + " is not started");
            return;
        }
        if (options.dials()) {
            handler.reject("node " + options.peerNodeId() + " dialed, but node " + options.localNodeId()
                + " (the higher id) dials this pair");
            return;
        }
        Pairing attempt;
        if (stream == MessageType.Stream.DATA) {
            if (pairing != null && pairing.session != null) {
                handler.reject("already connected to node " + options.peerNodeId() + " (session "
                    + pairing.session.id() + ")");
                return;
            }
            if (pairing != null) {
                end(pairing, "superseded by a new connection from the peer");
            }
            attempt = new Pairing(epoch, preamble.nonce(), -1);
            pairing = attempt;
        } else {
            attempt = pairing;
            if (attempt == null || attempt.session != null || attempt.nonce != preamble.nonce()
                || attempt.control != null) {
                handler.reject("control connection from node " + options.peerNodeId()
                    + " does not belong to a session being set up");
                return;
            }
        }
        attach(attempt, stream, channel);
        attempt.moving(stream, channel.eventLoop() != loop);
        handler.handOver(loop, accepted -> {
            // On this loop now: the pairing may have ended while the channel moved (and left it open).
            attempt.moving(stream, false);
            if (!isLive(attempt)) {
                return false;
            }
            HandshakePipeline.addTo(accepted, handshake, serverTls);
            accepted.pipeline().addLast(PeerPipeline.PEER, new PeerChannelHandler(this, attempt, stream));
            return true;
        }, () -> onChannelClosed(attempt, stream));
    }

    private void attach(Pairing attempt, MessageType.Stream stream, Channel channel) {
        if (stream == MessageType.Stream.DATA) {
            attempt.data = channel;
        } else {
            attempt.control = channel;
        }
        channels.add(channel);
        channel.closeFuture().addListener(closed -> channels.remove(channel));
    }

    // ---- channel events (from any loop; handled on ours, in order per channel)

    void onHandshakeCompleted(Pairing attempt, MessageType.Stream stream, HandshakeCompleted event) {
        onLoop(() -> {
            if (!isLive(attempt)) {
                return;
            }
            attempt.handshakeCompleted(stream, event);
            if (attempt.bothUp()) {
                up(attempt);
                return;
            }
            if (attempt.halfUpTimer == null) {
                long limitMs = handshake.timeout().toMillis();
                attempt.halfUpTimer = loop.schedule(() -> {
                    if (isLive(attempt) && !attempt.bothUp()) {
                        end(attempt, "session half up for more than " + limitMs + " ms: the "
                            + DisconnectReasons.channel(attempt.dataHandshake == null ? MessageType.Stream.DATA
                            : MessageType.Stream.CONTROL) + " did not complete its handshake");
                    }
                }, limitMs, TimeUnit.MILLISECONDS);
            }
            if (options.dials() && stream == MessageType.Stream.DATA) {
                connect(attempt, MessageType.Stream.CONTROL);
            }
        });
    }

    void onHandshakeFailed(Pairing attempt, MessageType.Stream stream, HandshakeFailed failed) {
        onLoop(() -> {
            if (!isLive(attempt)) {
                return;
            }
            if (failed.retryable()) {
                end(attempt, "handshake on the " + DisconnectReasons.channel(stream) + " failed: " + failed.reason());
            } else {
                refuse(attempt, failed.reason());
            }
        });
    }

    void onMessage(Pairing attempt, MessageType.Stream stream, PeerMessage message) {
        onLoop(() -> ReferenceCountUtil.release(message), () -> {
            if (!isLive(attempt)) {
                ReferenceCountUtil.release(message);
                return;
            }
            if (message instanceof PeerMessage.Disconnect) {
                end(attempt, "peer disconnected");
            } else if (message instanceof PeerMessage.Ping || message instanceof PeerMessage.PingAck) {
                return;
            } else if (attempt.session == null) {
                attempt.holdEarly(message);
            } else {
                deliver(attempt.session, message);
            }
        });
    }

    void onFailure(Pairing attempt, MessageType.Stream stream, Throwable cause) {
        onLoop(() -> {
            if (isLive(attempt)) {
                String reason = DisconnectReasons.of(stream, cause);
                if (!(cause instanceof IOException || cause instanceof DecoderException)) {
                    LOG.log(System.Logger.Level.WARNING, this + ": " + reason, cause);
                }
                end(attempt, reason);
            }
        });
    }

    void onChannelClosed(Pairing attempt, MessageType.Stream stream) {
        onLoop(() -> {
            if (isLive(attempt)) {
                end(attempt, "the " + DisconnectReasons.channel(stream) + " was closed by the peer");
            }
        });
    }

    /** {@link PeerSession#close}: marks the session closed now, ends it on the loop. */
    void closeSession(PeerSession session, String reason) {
        session.markClosed();
        loop.execute(() -> {
            Pairing attempt = pairing;
            if (attempt != null && attempt.session == session && isLive(attempt)) {
                end(attempt, reason);
            }
        });
    }

    // ---- state changes (event loop)

    private void up(Pairing attempt) {
        if (attempt.halfUpTimer != null) {
            attempt.halfUpTimer.cancel(false);
        }
        PeerSession session = new PeerSession(this, ++sessionCount, attempt.data, attempt.control,
            attempt.dataHandshake);
        attempt.session = session;
        current = session;
        LOG.log(System.Logger.Level.INFO, "{0}: connected, session {1} (data {2}, control {3}, protocol {4})",
            this, Long.toString(session.id()), session.remoteAddress(),
            PeerSession.describe(attempt.control.remoteAddress()), attempt.dataHandshake.agreedVersion());
        try {
            listener.connected(session, attempt.dataHandshake);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, this + ": listener failed in connected", e);
        }
        for (PeerMessage message : attempt.takeEarly()) {
            if (isLive(attempt)) {
                deliver(session, message);
            } else {
                ReferenceCountUtil.release(message);
            }
        }
    }

    private void deliver(PeerSession session, PeerMessage message) {
        if (!session.isOpen()) {
            ReferenceCountUtil.release(message);
            return;
        }
        try {
            listener.received(session, message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, this + ": listener failed in received", e);
        }
    }

    /** Ends {@code attempt}: closes its channels, tells the listener if it was a session, and dials again later. */
    private void end(Pairing attempt, String reason) {
        attempt.end();
        attempt.closeChannels();
        if (pairing == attempt) {
            pairing = null;
        }
        PeerSession session = attempt.session;
        if (session != null) {
            disconnected(session, reason);
        } else {
            LOG.log(System.Logger.Level.INFO, "{0}: connection attempt failed: {1}", this, reason);
            if (options.dials()) {
                nextPath = attempt.pathIndex + 1;
            }
        }
        if (options.dials()) {
            scheduleDial(attempt.epoch, redial.delayMs(session != null, System.nanoTime()));
        }
    }

    private void disconnected(PeerSession session, String reason) {
        session.markClosed();
        if (current == session) {
            current = null;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: session {1} disconnected: {2}", this, Long.toString(session.id()),
            reason);
        try {
            listener.disconnected(session, reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, this + ": listener failed in disconnected", e);
        }
    }

    private void refuse(Pairing attempt, String reason) {
        boolean stopped;
        synchronized (this) {
            stopped = running && epoch == attempt.epoch;
            if (stopped) {
                running = false;
                transport.unlisten(this, localAddresses);
            }
        }
        attempt.end();
        attempt.closeChannels();
        if (pairing == attempt) {
            pairing = null;
        }
        if (!stopped) {
            return;
        }
        cancelDial();
        LOG.log(System.Logger.Level.WARNING, "{0}: refused for good (StandAlone): {1}", this, reason);
        try {
            listener.refused(reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, this + ": listener failed in refused", e);
        }
    }

    private void onStop() {
        cancelDial();
        Pairing attempt = pairing;
        pairing = null;
        if (attempt == null || attempt.ended) {
            return;
        }
        attempt.end();
        PeerSession session = attempt.session;
        if (session == null) {
            attempt.closeChannels();
            return;
        }
        session.markClosed();
        // Disconnect, then FIN, on the data channel: the peer reads them in that order. The control channel closes
        // only once the data channel has (the peer closed its end after acting on the Disconnect), so the peer
        // cannot see the control channel go first and take it for a failure. A silent peer gets `timeout`.
        Channel data = attempt.data;
        data.closeFuture().addListener(closed -> attempt.closeChannels());
        data.writeAndFlush(new PeerMessage.Disconnect()).addListener(written -> {
            if (written.isSuccess() && data instanceof SocketChannel socket) {
                socket.shutdownOutput();
            } else {
                attempt.closeChannels();
            }
        });
        loop.schedule(attempt::closeChannels, options.net().timeoutMs(), TimeUnit.MILLISECONDS);
        disconnected(session, "link stopped");
    }

    private void cancelDial() {
        if (dialTimer != null) {
            dialTimer.cancel(false);
            dialTimer = null;
        }
    }

    /** Waits until {@code stop()} has run and every channel of this link is closed, or until {@code deadline}. */
    void awaitClosed(long deadlineNanos) {
        loop.submit(() -> { }).awaitUninterruptibly(remainingMs(deadlineNanos));
        for (Channel channel : channels) {
            channel.closeFuture().awaitUninterruptibly(remainingMs(deadlineNanos));
        }
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    // ---- helpers

    private boolean isCurrent(int started) {
        return running && epoch == started;
    }

    /** Whether events of {@code attempt} still matter: it is this link's current pairing and has not ended. */
    private boolean isLive(Pairing attempt) {
        return attempt == pairing && !attempt.ended;
    }

    private void onLoop(Runnable task) {
        onLoop(() -> { }, task);
    }

    /** Runs {@code task} on the link's loop, or {@code ifShutDown} when the group no longer takes tasks. */
    private void onLoop(Runnable ifShutDown, Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: event loop shut down, dropping a channel event", this);
            ifShutDown.run();
        }
    }
}

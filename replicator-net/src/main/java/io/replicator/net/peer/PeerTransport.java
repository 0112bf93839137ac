package io.replicator.net.peer;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The peer connections of one daemon: makes {@link PeerLink}s and owns the listening sockets they share, one per
 * local address, reference-counted by the links that use it: bound when the first link that needs it starts, closed
 * when the last one stops. Uses, but does not own, an NIO event loop group; each link is pinned to one of its loops.
 */
public final class PeerTransport implements AutoCloseable {
    /** How long {@link #close()} waits for connections and listeners to close. */
    private static final long CLOSE_WAIT_MS = 5_000;

    private final EventLoopGroup group;
    /** The started links, for {@link #close()}. */
    private final Set<PeerLink> links = ConcurrentHashMap.newKeySet();
    /** The loop of each resource ({@link #loopFor}). */
    private final Map<String, EventLoop> affinity = new ConcurrentHashMap<>();
    /** Serializes binding; taken only by {@link PeerLink#start()} callers, never on an event loop. */
    private final Object bindLock = new Object();
    /** Guarded by this. */
    private final Map<InetSocketAddress, PeerAcceptor> acceptors = new HashMap<>();
    /** Listeners being closed, so that a rebind of the same address waits for the port. Guarded by this. */
    private final Map<InetSocketAddress, ChannelFuture> closing = new HashMap<>();
    /** Guarded by this. */
    private boolean closed;

    /** A transport on {@code group} (an NIO group, e.g. {@code MultiThreadIoEventLoopGroup} with NioIoHandler). */
    public PeerTransport(EventLoopGroup group) {
        this.group = Objects.requireNonNull(group, "group");
    }

    /**
     * A link to one peer, not started yet.
     *
     * @throws IllegalArgumentException when the options cannot work (TLS files, algorithms)
     * @throws IllegalStateException    after {@link #close()}
     */
    public PeerLink link(PeerLinkOptions options, PeerLinkListener listener) {
        return link(options, listener, group.next());
    }

    /**
     * {@link #link(PeerLinkOptions, PeerLinkListener)} served by {@code loop}, one of this transport's loops (see
     * {@link #loopFor}).
     */
    public PeerLink link(PeerLinkOptions options, PeerLinkListener listener, EventLoop loop) {
        checkOpen();
        if (!contains(loop)) {
            throw new IllegalArgumentException(loop + " is not a loop of this transport");
        }
        return new PeerLink(this, loop, options, listener);
    }

    /**
     * The loop that serves everything of {@code resource}: its links, every time they reconnect, and (in the daemon)
     * its NBD export — so a write's replication and its reply to the client run on one thread. Resources are spread
     * over the loops in the order they first ask.
     */
    public EventLoop loopFor(String resource) {
        return affinity.computeIfAbsent(resource, name -> group.next());
    }

    private boolean contains(EventLoop loop) {
        for (EventExecutor executor : group) {
            if (executor == loop) {
                return true;
            }
        }
        return false;
    }

    /**
     * Registers {@code link} with the listener of each address, binding those not bound yet. All or nothing. Blocks
     * while binding, holding no lock an event loop could want: binds are serialized by their own lock, and the
     * transport's monitor guards only the map updates.
     *
     * @throws UncheckedIOException when an address cannot be bound (in use, not local)
     */
    void listen(PeerLink link, Set<InetSocketAddress> addresses) {
        synchronized (bindLock) {
            List<InetSocketAddress> done = new ArrayList<>();
            try {
                for (InetSocketAddress address : addresses) {
                    register(link, address);
                    done.add(address);
                }
                synchronized (this) {
                    checkOpen();
                    links.add(link);
                }
            } catch (IOException e) {
                unlisten(link, done);
                throw new UncheckedIOException("peer link to node " + link.options().peerNodeId() + ": "
                    + e.getMessage(), e);
            } catch (RuntimeException e) {
                unlisten(link, done);
                throw e;
            }
        }
    }

    private void register(PeerLink link, InetSocketAddress address) throws IOException {
        ChannelFuture previous;
        synchronized (this) {
            checkOpen();
            PeerAcceptor acceptor = acceptors.get(address);
            if (acceptor != null) {
                acceptor.register(link);
                return;
            }
            previous = closing.remove(address);
        }
        if (previous != null) {
            previous.awaitUninterruptibly(CLOSE_WAIT_MS);
        }
        PeerAcceptor bound = PeerAcceptor.bind(address, group);
        synchronized (this) {
            if (!closed && acceptors.putIfAbsent(address, bound) == null) {
                bound.register(link);
                return;
            }
        }
        bound.close();
        checkOpen();
        throw new IllegalStateException("a listener on " + address + " appeared while binding it");
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("peer transport is closed");
        }
    }

    /** Unregisters {@code link}; closes the listeners no link uses any more. Never blocks; any thread. */
    synchronized void unlisten(PeerLink link, Iterable<InetSocketAddress> addresses) {
        links.remove(link);
        for (InetSocketAddress address : addresses) {
            PeerAcceptor acceptor = acceptors.get(address);
            if (acceptor != null && acceptor.unregister(link)) {
                acceptors.remove(address);
                closing.put(address, acceptor.close());
            }
        }
    }

    /**
     * Stops every link (a connected peer gets a Disconnect) and closes every listening socket. Off an event loop it
     * waits, up to a few seconds, until the connections and listeners are closed, so that the ports are free when it
     * returns. The event loop group stays up.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List<PeerLink> started = new ArrayList<>(links);
        for (PeerLink link : started) {
            link.stop();
        }
        List<ChannelFuture> listeners;
        synchronized (this) {
            for (PeerAcceptor acceptor : acceptors.values()) {
                closing.put(acceptor.address(), acceptor.close());
            }
            acceptors.clear();
            listeners = new ArrayList<>(closing.values());
            closing.clear();
        }
        if (isEventLoopThread()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        for (PeerLink link : started) {
            link.awaitClosed(deadline);
        }
        for (ChannelFuture listener : listeners) {
            listener.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    private boolean isEventLoopThread() {
        for (var executor : group) {
            if (executor.inEventLoop()) {
                return true;
            }
        }
        return false;
    }
}

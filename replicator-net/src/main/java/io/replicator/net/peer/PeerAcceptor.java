package io.replicator.net.peer;

import io.replicator.net.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One listening socket, shared by every {@link PeerLink} whose paths have this local address (DRBD shares its
 * listeners the same way). Accepted sockets get a {@link PreambleHandler}; the preamble's (receiver, sender) node
 * ids pick the link, which then decides whether to take the socket. A socket no link wants is closed and the
 * listener carries on. Registration is by node-id pair: two links with the same pair on one address would be
 * ambiguous and are refused.
 */
final class PeerAcceptor {
    /** How long an accepted socket may take to send its preamble. */
    static final long PREAMBLE_TIMEOUT_MS = 10_000;

    private final InetSocketAddress address;
    private final Channel server;
    private final Map<Integer, PeerLink> links = new ConcurrentHashMap<>();
    /** Accepted sockets not handed to a link yet; closed with the listener. */
    private final Set<Channel> unrouted = ConcurrentHashMap.newKeySet();

    private PeerAcceptor(InetSocketAddress address, EventLoopGroup group) throws IOException {
        this.address = address;
        ChannelFuture bound = new ServerBootstrap().group(group).channel(NettyTransport.of(group).serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, PeerPipeline.WATER_MARK)
            .childOption(ChannelOption.RECVBUF_ALLOCATOR, PeerPipeline.RECEIVE_BUFFERS)
            .childHandler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel channel) {
                    unrouted.add(channel);
                    channel.closeFuture().addListener(closed -> unrouted.remove(channel));
                    channel.pipeline().addLast(PeerPipeline.PREAMBLE,
                        new PreambleHandler(PeerAcceptor.this, PREAMBLE_TIMEOUT_MS));
                }
            })
            .bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on " + endpoint(address) + ": " + cause.getMessage(), cause);
        }
        this.server = bound.channel();
    }

    /** Binds {@code address} now; blocks until bound. */
    static PeerAcceptor bind(InetSocketAddress address, EventLoopGroup group) throws IOException {
        return new PeerAcceptor(address, group);
    }

    /** Routes connections from the link's peer to it. */
    void register(PeerLink link) {
        PeerLinkOptions options = link.options();
        PeerLink other = links.putIfAbsent(key(options.localNodeId(), options.peerNodeId()), link);
        if (other != null && other != link) {
            throw new IllegalStateException("node " + options.localNodeId() + " already has a link to node "
                + options.peerNodeId() + " listening on " + endpoint(address));
        }
    }

    /** Stops routing to {@code link}; true if no link is left. */
    boolean unregister(PeerLink link) {
        PeerLinkOptions options = link.options();
        links.remove(key(options.localNodeId(), options.peerNodeId()), link);
        return links.isEmpty();
    }

    /** Called by a {@link PreambleHandler} once its preamble is read: hands the socket to its link, or closes it. */
    void route(Channel channel, Preamble preamble, PreambleHandler handler) {
        PeerLink link = links.get(key(preamble.receiverNodeId(), preamble.senderNodeId()));
        if (link == null) {
            handler.reject("no peer link from node " + preamble.receiverNodeId() + " to node "
                + preamble.senderNodeId() + " here");
            return;
        }
        unrouted.remove(channel);
        link.offer(channel, preamble, handler);
    }

    /** Closes the listening socket and every socket not handed to a link. */
    ChannelFuture close() {
        for (Channel channel : unrouted) {
            channel.close();
        }
        return server.close();
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public String toString() {
        return "peer listener " + endpoint(address);
    }

    private static Integer key(int localNodeId, int peerNodeId) {
        return localNodeId << 8 | peerNodeId;
    }

    private static String endpoint(InetSocketAddress address) {
        return PeerSession.describe(address);
    }
}

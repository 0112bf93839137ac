package io.replicator.net.peer;

import io.netty.channel.EventLoopGroup;
import io.replicator.core.config.Address;
import io.replicator.core.config.NetConfig;
import io.replicator.net.transport.NettyTransport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** One daemon's peer side in a test: its own event loops and transport. Also the tests' config and port helpers. */
final class Node implements AutoCloseable {
    private static final Random RANDOM = new Random();
    final int id;
    /** The daemon's transport (epoll on Linux); the handshake tests' {@code Loopback} keeps NIO covered. */
    final EventLoopGroup group = NettyTransport.preferred().newGroup(2);
    PeerTransport transport = new PeerTransport(group);

    Node(int id) {
        this.id = id;
    }

    /** A link from this node to {@code peer} over {@code paths}, started. */
    PeerLink start(int peer, NetConfig net, Recorder recorder, PeerPath... paths) {
        PeerLink link = link(peer, net, recorder, paths);
        link.start();
        return link;
    }

    PeerLink link(int peer, NetConfig net, Recorder recorder, PeerPath... paths) {
        return transport.link(new PeerLinkOptions(id, peer, List.of(paths), net, false), recorder);
    }

    /** Closes the transport and makes a new one, as a daemon restart would. */
    void restartTransport() {
        transport.close();
        transport = new PeerTransport(group);
    }

    @Override
    public void close() throws InterruptedException {
        transport.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    /**
     * A loopback TCP port nobody uses right now, below the kernel's ephemeral range: tests close listeners and bind
     * the same port again, and a port from the ephemeral range could meanwhile become the source port of some
     * outgoing connection on this (shared) machine.
     */
    static int freePort() {
        int below = ephemeralLow();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 10_000 + RANDOM.nextInt(Math.max(1, below - 10_000));
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IllegalStateException("no free port below " + below);
    }

    private static int ephemeralLow() {
        try {
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    static Address loopback(int port) {
        return new Address("ipv4", "127.0.0.1", port);
    }

    /** The path from {@code localPort} to {@code peerPort} on loopback. */
    static PeerPath path(int localPort, int peerPort) {
        return new PeerPath(loopback(localPort), loopback(peerPort));
    }

    /** Net options as written in a config: connect-int 1 s unless given, plus {@code more} (key, value, ...). */
    static NetConfig net(String... more) {
        Map<String, String> written = new HashMap<>();
        written.put("connect-int", "1");
        for (int i = 0; i < more.length; i += 2) {
            written.put(more[i], more[i + 1]);
        }
        return NetConfig.of(written);
    }
}

package io.replicator.net.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.replicator.core.config.NetConfig;
import io.replicator.net.protocol.PeerMessage;
import io.replicator.net.transport.NettyTransport;
import io.replicator.net.testing.NettyLeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.DataInputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two (or three) nodes with real transports over loopback: connecting, traffic both ways on both streams, losing and
 * regaining the session, stopping and restarting, path failover, and the shared listening port. Node 1 accepts,
 * the higher ids dial. connect-int is 1 s.
 */
@Timeout(60)
@ExtendWith(NettyLeakCheck.class)
class PeerLinkTest {
    static final long WAIT_MS = 10_000;

    final NetConfig net = Node.net();
    final Node node1 = new Node(1);
    final Node node2 = new Node(2);
    final Recorder r1 = new Recorder();
    final Recorder r2 = new Recorder();
    final int p1 = Node.freePort();
    final int p2 = Node.freePort();
    PeerSession s1;
    PeerSession s2;

    @AfterEach
    void close() throws InterruptedException {
        node1.close();
        node2.close();
        r1.assertNoViolations();
        r2.assertNoViolations();
    }

    PeerLink[] connectBoth() throws InterruptedException {
        PeerLink link1 = node1.start(2, net, r1, Node.path(p1, p2));
        PeerLink link2 = node2.start(1, net, r2, Node.path(p2, p1));
        s1 = r1.connected(WAIT_MS);
        s2 = r2.connected(WAIT_MS);
        return new PeerLink[] {link1, link2};
    }

    /** A resource's links (every reconnect) and, in the daemon, its NBD export share one loop. */
    @Test
    void aResourceKeepsItsLoopAndLinksOnlyTakeTheTransportsLoops() throws InterruptedException {
        io.netty.channel.EventLoop r0 = node1.transport.loopFor("r0");
        assertThat(node1.transport.loopFor("r0")).isSameAs(r0);
        assertThat(node1.transport.loopFor("r1")).isNotSameAs(r0);
        PeerLink link = node1.transport.link(new PeerLinkOptions(1, 2, List.of(Node.path(p1, p2)), net, false), r1,
            r0);
        link.start();
        PeerLink peer = node2.start(1, net, r2, Node.path(p2, p1));
        s1 = r1.connected(WAIT_MS);
        assertThat(s1.eventLoop()).isSameAs(r0);
        link.stop();
        peer.stop();
        io.netty.channel.EventLoopGroup other = io.replicator.net.transport.NettyTransport.preferred().newGroup(1);
        try {
            assertThatThrownBy(() -> node1.transport.link(new PeerLinkOptions(1, 2, List.of(Node.path(p1, p2)), net,
                false), r1, other.next())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a loop of this transport");
        } finally {
            other.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void bothSidesConnectAndDeliverEveryMessageInOrderOnBothStreamsBothWays() throws Exception {
        PeerLink[] links = connectBoth();
        assertThat(s1.peerNodeId()).isEqualTo(2);
        assertThat(s2.peerNodeId()).isEqualTo(1);
        assertThat(s1.handshake().peerNodeId()).isEqualTo(2);
        assertThat(s2.remoteAddress()).isEqualTo("127.0.0.1:" + p1);
        assertThat(links[0].session()).containsSame(s1);
        assertThat(links[1].session()).containsSame(s2);
        assertThat(s1.isOpen()).isTrue();

        List<PeerMessage> from1 = Traffic.mixed(240, 1);
        List<PeerMessage> from2 = Traffic.mixed(240, 2);
        Thread sender = new Thread(() -> Traffic.send(s2, from2));
        List<Object> expected2 = new ArrayList<>();
        for (PeerMessage message : from2) {
            expected2.add(Traffic.expected(message));
        }
        sender.start();
        List<Object> expected1 = Traffic.send(s1, from1);
        sender.join();
        Traffic.assertSameOrderPerStream(r2.take(expected1.size(), WAIT_MS), expected1);
        Traffic.assertSameOrderPerStream(r1.take(expected2.size(), WAIT_MS), expected2);
        r1.assertQuiet(300);
        r2.assertQuiet(0);
    }

    /**
     * The transfer log sends writes from I/O threads and a barrier from the link's event loop (when an ack closes an
     * epoch), one after the other under its lock. A send made on the data channel's event loop must not overtake a
     * send another thread made before it: the peer would count the epoch short and drop the connection.
     */
    /** The accepting side moves its channels to the link's loop: a message and its answer never change threads. */
    @Test
    void bothChannelsOfASessionRunOnTheLinksEventLoopOnBothSides() throws Exception {
        connectBoth();
        for (PeerSession session : List.of(s1, s2)) {
            assertThat(session.data().eventLoop()).as("data channel of %s", session).isSameAs(session.eventLoop());
            assertThat(session.control().eventLoop()).as("control channel of %s", session)
                .isSameAs(session.eventLoop());
        }
    }

    /** {@code sndbuf-size} and {@code rcvbuf-size} reach both sockets of a session, dialed and accepted. */
    @Test
    void sndbufAndRcvbufSizesAreSetOnBothChannelsOfBothSides() throws Exception {
        NetConfig sized = Node.net("sndbuf-size", "192k", "rcvbuf-size", "320k");
        node1.start(2, sized, r1, Node.path(p1, p2));
        node2.start(1, sized, r2, Node.path(p2, p1));
        for (PeerSession session : List.of(r1.connected(WAIT_MS), r2.connected(WAIT_MS))) {
            for (Channel channel : List.of(session.data(), session.control())) {
                // Linux reports twice the size it was given (the other half is its bookkeeping).
                assertThat(channel.config().getOption(ChannelOption.SO_SNDBUF)).as("%s", channel)
                    .isEqualTo(2 * 192 * 1024);
                assertThat(channel.config().getOption(ChannelOption.SO_RCVBUF)).as("%s", channel)
                    .isEqualTo(2 * 320 * 1024);
            }
        }
    }

    /** A size above {@code net.core.wmem_max} is cut by the kernel, and the cut is reported with the sysctl. */
    @Test
    void aBufferSizeTheKernelCutsIsReportedWithTheSysctlToRaise() throws Exception {
        // (Files.readString reads /proc files short on JDK 17: they report a size of 0.)
        long wmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/wmem_max")).get(0).trim());
        NettyTransport transport = NettyTransport.preferred();
        EventLoopGroup group = transport.newGroup(1);
        try {
            Channel channel = transport.socketChannel().getConstructor().newInstance();
            group.register(channel).sync();
            List<String> cut = PeerPipeline.applySocketBuffers(channel, Node.net("sndbuf-size", "128M"));
            if (wmemMax < 128L << 20) {
                assertThat(cut).containsExactly("sndbuf-size 134217728: the kernel allows " + wmemMax
                    + " bytes; raise net.core.wmem_max to allow more");
            } else {
                assertThat(cut).as("wmem_max %d allows 128 MiB", wmemMax).isEmpty();
            }
            assertThat(PeerPipeline.applySocketBuffers(channel, Node.net())).as("0 leaves auto-tuning on").isEmpty();
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aSendOnTheChannelsEventLoopDoesNotOvertakeAnEarlierSendFromAnotherThread() throws Exception {
        connectBoth();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch sentFromThisThread = new CountDownLatch(1);
        s2.data().eventLoop().execute(() -> {
            running.countDown();
            try {
                sentFromThisThread.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            s2.sendAndFlush(new PeerMessage.Barrier(2));
            s2.send(new PeerMessage.Barrier(3));
            s2.flush();
        });
        assertThat(running.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        s2.sendAndFlush(new PeerMessage.Barrier(1));
        sentFromThisThread.countDown();
        assertThat(r1.take(3, WAIT_MS)).containsExactly(new PeerMessage.Barrier(1), new PeerMessage.Barrier(2),
            new PeerMessage.Barrier(3));
    }

    @Test
    void aSessionClosedOnOneSideEndsOnBothAndReconnectsWithANewId() throws Exception {
        connectBoth();
        PeerSession first = s1;
        PeerSession peerFirst = s2;
        first.close("test closed it");
        assertThat(first.isOpen()).isFalse();
        assertThat(r1.disconnected(WAIT_MS)).isEqualTo("test closed it");
        assertThat(r2.disconnected(WAIT_MS)).contains("closed by the peer");
        PeerSession second = r1.connected(WAIT_MS);
        PeerSession peerSecond = r2.connected(WAIT_MS);
        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(peerSecond.id()).isGreaterThan(peerFirst.id());
        first.send(new PeerMessage.Barrier(1));
        second.sendAndFlush(new PeerMessage.Barrier(2));
        assertThat(r2.take(1, WAIT_MS)).containsExactly(new PeerMessage.Barrier(2));
    }

    @Test
    void restartingThePeerTransportReconnects() throws Exception {
        connectBoth();
        node2.restartTransport();
        assertThat(r1.disconnected(WAIT_MS)).isEqualTo("peer disconnected");
        assertThat(r2.disconnected(WAIT_MS)).isEqualTo("link stopped");
        // The old transport's listener is closed; the kernel may need a moment before the port binds again.
        assertThat(bindsWithin(p2, 3000)).as("port %d free after the restart", p2).isTrue();
        Recorder again = new Recorder();
        node2.start(1, net, again, Node.path(p2, p1));
        PeerSession reconnected = r1.connected(WAIT_MS);
        again.connected(WAIT_MS);
        assertThat(reconnected.id()).isEqualTo(2);
        again.assertNoViolations();
    }

    @Test
    void stoppingTheAcceptorTellsThePeerWhichKeepsDialingUntilItIsBack() throws Exception {
        PeerLink[] links = connectBoth();
        links[0].stop();
        links[0].stop();
        assertThat(r1.disconnected(WAIT_MS)).isEqualTo("link stopped");
        assertThat(r2.disconnected(WAIT_MS)).isEqualTo("peer disconnected");
        assertThat(links[0].isRunning()).isFalse();
        assertThat(links[0].session()).isEmpty();
        r2.assertQuiet(2_500);
        assertThat(links[1].isRunning()).isTrue();
        links[0].start();
        r1.connected(WAIT_MS);
        r2.connected(WAIT_MS);
    }

    @Test
    void stoppingTheDialerTellsThePeerWhichKeepsAcceptingUntilItIsBack() throws Exception {
        PeerLink[] links = connectBoth();
        links[1].stop();
        assertThat(r1.disconnected(WAIT_MS)).isEqualTo("peer disconnected");
        assertThat(r2.disconnected(WAIT_MS)).isEqualTo("link stopped");
        r1.assertQuiet(1_500);
        links[1].start();
        r1.connected(WAIT_MS);
        r2.connected(WAIT_MS);
    }

    @Test
    void theDialerFailsOverToTheNextPathWhenTheFirstHasNobodyListening() throws Exception {
        int nobody = Node.freePort();
        int p2b = Node.freePort();
        node1.start(2, net, r1, Node.path(p1, p2b));
        node2.start(1, net, r2, Node.path(p2, nobody), Node.path(p2b, p1));
        assertThat(r2.connected(WAIT_MS).remoteAddress()).isEqualTo("127.0.0.1:" + p1);
        assertThat(r1.connected(WAIT_MS).remoteAddress()).startsWith("127.0.0.1:");
    }

    @Test
    void twoPeersShareOneListeningPortAndStoppingOneLeavesTheOther() throws Exception {
        try (Node node3 = new Node(3)) {
            Recorder r13 = new Recorder();
            Recorder r3 = new Recorder();
            int p3 = Node.freePort();
            PeerLink to2 = node1.start(2, net, r1, Node.path(p1, p2));
            node1.start(3, net, r13, Node.path(p1, p3));
            node2.start(1, net, r2, Node.path(p2, p1));
            node3.start(1, net, r3, Node.path(p3, p1));
            assertThat(r1.connected(WAIT_MS).peerNodeId()).isEqualTo(2);
            assertThat(r13.connected(WAIT_MS).peerNodeId()).isEqualTo(3);
            r2.connected(WAIT_MS);
            r3.connected(WAIT_MS).sendAndFlush(new PeerMessage.Barrier(3));
            assertThat(r13.take(1, WAIT_MS)).containsExactly(new PeerMessage.Barrier(3));

            to2.stop();
            assertThat(r2.disconnected(WAIT_MS)).isEqualTo("peer disconnected");
            r13.assertQuiet(1_500);
            r3.assertQuiet(0);
            to2.start();
            assertThat(r1.next(Recorder.Disconnected.class, WAIT_MS).reason()).isEqualTo("link stopped");
            r1.connected(WAIT_MS);
            r2.connected(WAIT_MS);
            r13.assertNoViolations();
            r3.assertNoViolations();
        }
    }

    @Test
    void aListeningAddressInUseFailsStartWithAClearError() throws Exception {
        PeerLink link;
        try (ServerSocket taken = new ServerSocket(p1, 1, InetAddress.getByName("127.0.0.1"))) {
            link = node1.link(2, net, r1, Node.path(p1, p2));
            assertThatThrownBy(link::start).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + p1);
            assertThat(link.isRunning()).isFalse();
        }
        link.start();
        node2.start(1, net, r2, Node.path(p2, p1));
        r1.connected(WAIT_MS);
        r2.connected(WAIT_MS);
    }

    @Test
    void onlyTheHigherNodeDialsAndItsFirstBytesAreThePreamble() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
             Node node3 = new Node(3)) {
            peer.setSoTimeout(2_500);
            node1.start(2, net, r1, Node.path(p1, peer.getLocalPort()));
            assertThatThrownBy(peer::accept).as("node 1 never dials node 2").isInstanceOf(SocketTimeoutException.class);

            peer.setSoTimeout((int) WAIT_MS);
            node3.start(2, net, new Recorder(), Node.path(Node.freePort(), peer.getLocalPort()));
            long[] nonces = new long[2];
            for (int attempt = 0; attempt < 2; attempt++) {
                try (Socket dialed = peer.accept()) {
                    DataInputStream in = new DataInputStream(dialed.getInputStream());
                    assertThat(in.readInt()).isEqualTo(0x52504C50);
                    assertThat(in.readUnsignedByte()).as("version").isEqualTo(1);
                    assertThat(in.readUnsignedByte()).as("stream: data first").isEqualTo(0);
                    assertThat(in.readUnsignedByte()).as("sender").isEqualTo(3);
                    assertThat(in.readUnsignedByte()).as("receiver").isEqualTo(2);
                    nonces[attempt] = in.readLong();
                }
            }
            assertThat(nonces[1]).as("a new nonce per attempt").isNotEqualTo(nonces[0]);
        }
    }

    @Test
    void aListenerMayStopItsLinkFromACallbackAndClosingTheTransportFreesThePorts() throws Exception {
        PeerLink link1 = node1.link(2, net, r1, Node.path(p1, p2));
        r1.onConnected(session -> link1.stop());
        link1.start();
        node2.start(1, net, r2, Node.path(p2, p1));
        r1.connected(WAIT_MS);
        assertThat(r1.disconnected(WAIT_MS)).isEqualTo("link stopped");
        r2.connected(WAIT_MS);
        assertThat(r2.disconnected(WAIT_MS)).isEqualTo("peer disconnected");

        node1.transport.close();
        node2.transport.close();
        for (int port : new int[] {p1, p2}) {
            assertThat(bindsWithin(port, 3000)).as("port %d free after close", port).isTrue();
        }
        assertThatThrownBy(() -> node1.link(2, net, r1, Node.path(p1, p2))).isInstanceOf(IllegalStateException.class);
        r1.assertQuiet(200);
    }

    /**
     * Whether a listening socket can take {@code port} within {@code millis}. The transport's close has waited for its
     * sockets; the kernel may still need a moment (a CI run once saw "Address already in use" right after close).
     */
    private static boolean bindsWithin(int port, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                return free.getLocalPort() == port;
            } catch (java.net.BindException inUse) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(50);
            }
        }
    }
}

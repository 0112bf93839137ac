package io.replicator.net.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.replicator.core.config.NetConfig;
import io.replicator.net.protocol.Compression;
import io.replicator.net.protocol.DigestKind;
import io.replicator.net.protocol.FrameDescriptor;
import io.replicator.net.protocol.PeerMessage;
import io.replicator.net.testing.NettyLeakCheck;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random bytes from a peer that completed the real preamble and handshake on both channels: whatever precedes them
 * in valid frames is delivered in order, then (the peer closes that channel after the garbage) the session ends exactly
 * once with a protocol error for that channel, node 1 closes the other channel, nothing leaks (checked after the container), and node 1 accepts the next try. Every wait
 * is bounded (jqwik properties take no JUnit {@code @Timeout}); jqwik prints the seed of a failing try.
 */
class PeerGarbageFuzzTest {
    private static final long WAIT_MS = 10_000;
    private static final NetConfig NET = Node.net("data-integrity-alg", "crc32c");
    private static Node node1;
    private static Recorder r1;
    private static EventLoopGroup clients;
    private static InetSocketAddress target;

    @BeforeContainer
    static void start() {
        NettyLeakCheck.reset();
        node1 = new Node(1);
        r1 = new Recorder();
        int port = Node.freePort();
        node1.start(2, NET, r1, Node.path(port, Node.freePort()));
        target = new InetSocketAddress("127.0.0.1", port);
        clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterContainer
    static void stop() throws InterruptedException {
        node1.close();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        r1.assertNoViolations();
        NettyLeakCheck.assertNoLeaks();
    }

    @Property(tries = 150)
    void randomBytesAfterTheHandshakeEndTheSessionOnceWithAProtocolError(
        @ForAll @Size(min = 1, max = 3000) byte[] garbage, @ForAll boolean onControl,
        @ForAll @IntRange(min = 0, max = 4) int validFirst) throws Exception {
        if (garbage.length >= 4 && Unpooled.wrappedBuffer(garbage).getInt(0) == FrameDescriptor.MAGIC) {
            garbage[0] ^= 1;
        }
        try (RawDialer raw = RawDialer.connect(clients, target, 2, 1, NET, true)) {
            r1.connected(WAIT_MS);
            Channel channel = onControl ? raw.control : raw.data;
            List<Object> expected = new ArrayList<>();
            for (int i = 0; i < validFirst; i++) {
                PeerMessage valid = onControl ? new PeerMessage.WriteAck(1, i, i, 512, i) : new PeerMessage.Barrier(i);
                expected.add(valid);
                channel.write(RawDialer.encode(valid, Compression.NONE, DigestKind.CRC32C));
            }
            ByteBuf bytes = Unpooled.wrappedBuffer(garbage);
            channel.writeAndFlush(bytes).await(WAIT_MS);
            channel.close();

            assertThat(r1.disconnected(WAIT_MS)).startsWith("protocol error on the "
                + (onControl ? "control" : "data") + " channel: ");
            assertThat(raw.awaitClosed(WAIT_MS)).as("node 1 closed the other channel too").isTrue();
            assertThat(r1.take(validFirst, WAIT_MS)).containsExactlyElementsOf(expected);
            assertThat(r1.received).isEmpty();
            assertThat(r1.events).isEmpty();
            r1.assertNoViolations();
        }
    }
}

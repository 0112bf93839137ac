package io.replicator.net.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.replicator.core.config.NetConfig;
import io.replicator.core.testing.SeededTries;
import io.replicator.net.protocol.Compression;
import io.replicator.net.protocol.DigestKind;
import io.replicator.net.protocol.FrameDescriptor;
import io.replicator.net.protocol.PeerMessage;
import io.replicator.net.testing.NettyLeakCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random bytes from a peer that completed the real preamble and handshake on both channels: whatever precedes them
 * in valid frames is delivered in order, then (the peer closes that channel after the garbage) the session ends exactly
 * once with a protocol error for that channel, node 1 closes the other channel, nothing leaks (checked after the
 * class), and node 1 accepts the next try. Every wait is bounded, and so is the test. Seeded ({@link SeededTries}: the
 * seed is printed, and {@code -Dreplicator.seed=S} repeats a run).
 */
@ExtendWith(NettyLeakCheck.class)
class PeerGarbageFuzzTest {
    private static final long WAIT_MS = 10_000;
    private static final NetConfig NET = Node.net("data-integrity-alg", "crc32c");
    private static Node node1;
    private static Recorder r1;
    private static EventLoopGroup clients;
    private static InetSocketAddress target;

    @BeforeAll
    static void start() {
        node1 = new Node(1);
        r1 = new Recorder();
        int port = Node.freePort();
        node1.start(2, NET, r1, Node.path(port, Node.freePort()));
        target = new InetSocketAddress("127.0.0.1", port);
        clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        node1.close();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        r1.assertNoViolations();
    }

    /** Bytes sent on one channel after {@code validFirst} valid frames (a leading magic is spoiled before the try). */
    record Garbage(byte[] bytes, boolean onControl, int validFirst) {
        @Override
        public String toString() {
            return (onControl ? "control" : "data") + " channel, " + validFirst + " valid frames, then " + bytes.length
                + " bytes " + HexFormat.of().formatHex(bytes);
        }
    }

    @Test
    @Timeout(300)
    void randomBytesAfterTheHandshakeEndTheSessionOnceWithAProtocolError() {
        byte[] magic = ByteBuffer.allocate(4).putInt(FrameDescriptor.MAGIC).array();
        byte[] ones = new byte[3000];
        Arrays.fill(ones, (byte) -1);
        SeededTries.check(150, List.of(
                new Garbage(new byte[] {0}, false, 0),
                new Garbage(new byte[] {0}, true, 0),
                new Garbage(new byte[] {-1}, false, 4),
                new Garbage(new byte[] {Byte.MAX_VALUE}, true, 4),
                new Garbage(new byte[3000], false, 4),
                new Garbage(ones, true, 0),
                new Garbage(magic, true, 1),
                new Garbage(Arrays.copyOf(magic, FrameDescriptor.HEADER_BYTES), false, 1)),
            random -> {
                byte[] bytes = new byte[random.nextInt(1, 3001)];
                random.nextBytes(bytes);
                return new Garbage(bytes, random.nextBoolean(), random.nextInt(5));
            },
            PeerGarbageFuzzTest::endsTheSessionOnce);
    }

    private static void endsTheSessionOnce(Garbage input) throws Exception {
        byte[] garbage = input.bytes().clone();
        boolean onControl = input.onControl();
        int validFirst = input.validFirst();
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

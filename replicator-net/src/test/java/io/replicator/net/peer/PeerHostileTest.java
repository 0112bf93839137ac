package io.replicator.net.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.replicator.core.config.NetConfig;
import io.replicator.net.protocol.Compression;
import io.replicator.net.protocol.DigestKind;
import io.replicator.net.protocol.FrameDescriptor;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;
import io.replicator.net.testing.NettyLeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Node 1 accepts for a link to node 2; raw sockets and a hand-driven dialer ({@link RawDialer}) that completes the
 * real handshake feed it what a broken or hostile peer might. Each time the socket or session is closed cleanly,
 * the listener hears at most one {@code disconnected} with a clear reason, nothing leaks, and node 1 keeps
 * accepting: a proper node 2 still connects afterwards.
 */
@Timeout(60)
@ExtendWith(NettyLeakCheck.class)
class PeerHostileTest {
    static final long WAIT_MS = 10_000;

    final Node node1 = new Node(1);
    final Node node2 = new Node(2);
    final Recorder r1 = new Recorder();
    final int p1 = Node.freePort();
    InetSocketAddress target;

    @AfterEach
    void close() throws InterruptedException {
        node1.close();
        node2.close();
        r1.assertNoViolations();
    }

    void listen(NetConfig net) {
        node1.start(2, net, r1, Node.path(p1, Node.freePort()));
        target = new InetSocketAddress("127.0.0.1", p1);
    }

    /** A real node 2 connects, proving node 1 still accepts, then goes away again. */
    void aProperPeerStillConnects(NetConfig net) throws Exception {
        Recorder r2 = new Recorder();
        PeerLink link = node2.start(1, net, r2, Node.path(Node.freePort(), p1));
        r1.connected(WAIT_MS);
        r2.connected(WAIT_MS);
        link.stop();
        assertThat(r1.disconnected(WAIT_MS)).isEqualTo("peer disconnected");
        r2.assertNoViolations();
    }

    static byte[] preamble(int magic, int version, int stream, int sender, int receiver) {
        return ByteBuffer.allocate(Preamble.BYTES).putInt(magic).put((byte) version).put((byte) stream)
            .put((byte) sender).put((byte) receiver).putLong(42).array();
    }

    /** Writes {@code bytes} on a plain socket and asserts that node 1 closes it. */
    void assertClosedAfter(byte[]... parts) throws Exception {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), p1)) {
            socket.setSoTimeout((int) WAIT_MS);
            OutputStream out = socket.getOutputStream();
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // whatever node 1 said before closing (a handshake frame, a refusal)
                }
            } catch (SocketException reset) {
                // closed with unread data: a reset is a close too
            }
        }
    }

    @Test
    void badPreamblesAreClosedAndTheListenerKeepsAccepting() throws Exception {
        NetConfig net = Node.net();
        listen(net);
        assertClosedAfter(preamble(0x52504C57, 1, 0, 2, 1));
        assertClosedAfter(preamble(Preamble.MAGIC, 2, 0, 2, 1));
        assertClosedAfter(preamble(Preamble.MAGIC, 1, 2, 2, 1));
        assertClosedAfter(preamble(Preamble.MAGIC, 1, 0, 7, 1), "hello".getBytes());
        assertClosedAfter(preamble(Preamble.MAGIC, 1, 0, 2, 9));
        assertClosedAfter(preamble(Preamble.MAGIC, 1, 1, 2, 1));
        r1.assertQuiet(200);
        aProperPeerStillConnects(net);
    }

    @Test
    void garbageAfterAValidPreambleClosesTheSocketWithoutASession() throws Exception {
        NetConfig net = Node.net();
        listen(net);
        byte[] junk = new byte[300];
        new Random(5).nextBytes(junk);
        byte[] ones = new byte[64];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertClosedAfter(preamble(Preamble.MAGIC, 1, 0, 2, 1), ones);
        assertClosedAfter(preamble(Preamble.MAGIC, 1, 0, 2, 1), new byte[] {0, 0, 0, 5, 99, 1, 2, 3, 4});
        assertClosedAfter(preamble(Preamble.MAGIC, 1, 0, 2, 1), junk);
        r1.assertQuiet(200);
        aProperPeerStillConnects(net);
    }

    /** Bytes a peer that completed the handshake might send, and the reason the session must end with. */
    enum Garbage {
        BAD_MAGIC(MessageType.Stream.DATA, "protocol error on the data channel: bad frame magic") {
            @Override
            ByteBuf bytes() {
                return Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
            }
        },
        OVERSIZED(MessageType.Stream.DATA, "protocol error on the data channel: frame payload of 1048833 bytes") {
            @Override
            ByteBuf bytes() {
                return header(MessageType.DATA.code(), FrameDescriptor.MAX_PAYLOAD_BYTES + 1).writeZero(100);
            }
        },
        UNKNOWN_TYPE(MessageType.Stream.DATA, "protocol error on the data channel: unknown message type 0x77") {
            @Override
            ByteBuf bytes() {
                return header(0x77, 0);
            }
        },
        TRUNCATED(MessageType.Stream.DATA, "protocol error on the data channel: stream ended inside a frame") {
            @Override
            ByteBuf bytes() {
                return header(MessageType.BARRIER.code(), 4).writeShort(7);
            }
        },
        CONTROL_GARBAGE(MessageType.Stream.CONTROL, "protocol error on the control channel: bad frame magic") {
            @Override
            ByteBuf bytes() {
                return Unpooled.wrappedBuffer("not a frame at all, really".getBytes());
            }
        };

        final MessageType.Stream stream;
        final String reason;

        Garbage(MessageType.Stream stream, String reason) {
            this.stream = stream;
            this.reason = reason;
        }

        abstract ByteBuf bytes();

        static ByteBuf header(int type, int length) {
            return Unpooled.buffer().writeInt(FrameDescriptor.MAGIC).writeShort(type).writeShort(0)
                .writeInt(length).writeShort(0).writeShort(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Garbage.class)
    void garbageAfterTheHandshakeEndsTheSessionWithAClearReason(Garbage garbage) throws Exception {
        NetConfig net = Node.net();
        listen(net);
        try (RawDialer raw = RawDialer.connect(node2.group, target, 2, 1, net, true)) {
            r1.connected(WAIT_MS);
            (garbage.stream == MessageType.Stream.DATA ? raw.data : raw.control).writeAndFlush(garbage.bytes());
            if (garbage == Garbage.TRUNCATED) {
                raw.data.close();
            }
            assertThat(r1.disconnected(WAIT_MS)).startsWith(garbage.reason);
            assertThat(raw.awaitClosed(WAIT_MS)).as("node 1 closed both channels").isTrue();
        }
        r1.assertQuiet(100);
        aProperPeerStillConnects(net);
    }

    @Test
    void anIntegrityMismatchOnTheDataChannelEndsTheSession() throws Exception {
        NetConfig net = Node.net("data-integrity-alg", "crc32c");
        listen(net);
        try (RawDialer raw = RawDialer.connect(node2.group, target, 2, 1, net, true)) {
            r1.connected(WAIT_MS);
            Random random = new Random(9);
            PeerMessage good = Traffic.data(MessageType.DATA, 1, Traffic.payload(random, 4096, false));
            Object expected = Traffic.expected(good);
            raw.data.writeAndFlush(RawDialer.encode(good, Compression.NONE, DigestKind.CRC32C));
            ByteBuf bad = RawDialer.encode(Traffic.data(MessageType.DATA, 3, Traffic.payload(random, 4096, false)),
                Compression.NONE, DigestKind.CRC32C);
            bad.setByte(bad.writerIndex() - 1, bad.getByte(bad.writerIndex() - 1) ^ 0x10);
            raw.data.writeAndFlush(bad);
            assertThat(r1.take(1, WAIT_MS)).containsExactly(expected);
            assertThat(r1.disconnected(WAIT_MS)).isEqualTo("data integrity check failed on the data channel: "
                + "CRC32C digest mismatch in volume 1 at sector 24 (block id 1003)");
            assertThat(raw.awaitClosed(WAIT_MS)).isTrue();
        }
        r1.assertQuiet(100);
        aProperPeerStillConnects(net);
    }

    @Test
    void aSessionLeftHalfUpIsTornDownAfterTheHandshakeTimeout() throws Exception {
        NetConfig net = Node.net("timeout", "10");
        listen(net);
        long start = System.nanoTime();
        try (RawDialer raw = RawDialer.connect(node2.group, target, 2, 1, net, false)) {
            assertThat(raw.awaitClosed(WAIT_MS)).as("node 1 gave up on the data channel").isTrue();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms until torn down").isGreaterThanOrEqualTo(900);
        r1.assertQuiet(100);
        aProperPeerStillConnects(net);
    }

    @Test
    void connectionsThatBelongToNoSessionBeingSetUpAreTurnedAway() throws Exception {
        NetConfig net = Node.net();
        listen(net);
        var options = io.replicator.net.handshake.HandshakeOptions.of(2, 1, net, false);
        assertThatThrownBy(() -> RawDialer.open(node2.group, target,
            new Preamble(MessageType.Stream.CONTROL, 2, 1, 1234), options))
            .as("a control connection without a data connection").hasMessageContaining("did not complete");

        Recorder r2 = new Recorder();
        node2.start(1, net, r2, Node.path(Node.freePort(), p1));
        PeerSession session = r1.connected(WAIT_MS);
        r2.connected(WAIT_MS);
        for (MessageType.Stream stream : List.of(MessageType.Stream.DATA, MessageType.Stream.CONTROL)) {
            assertThatThrownBy(() -> RawDialer.open(node2.group, target, new Preamble(stream, 2, 1, 99), options))
                .as("a %s connection while connected", stream).hasMessageContaining("did not complete");
        }
        r1.assertQuiet(300);
        assertThat(session.isOpen()).isTrue();
        r2.assertNoViolations();
    }
}

package io.replicator.net.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.replicator.core.config.Address;
import io.replicator.core.config.ConnectionConfig;
import io.replicator.core.config.Endpoint;
import io.replicator.core.config.Location;
import io.replicator.core.config.NetConfig;
import io.replicator.core.config.PathConfig;
import io.replicator.net.protocol.Compression;
import io.replicator.net.protocol.DigestKind;
import io.replicator.net.protocol.IntegrityException;
import io.replicator.net.protocol.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The preamble's bytes, the link options from a connection config, and the wording of disconnect reasons. */
@Timeout(10)
class PeerPreambleTest {
    static final Location HERE = new Location("test.res", 1, 1);

    @Test
    void thePreambleIsSixteenBigEndianBytesThatRoundTrip() throws Exception {
        Preamble preamble = new Preamble(MessageType.Stream.CONTROL, 3, 200, 0x0102030405060708L);
        ByteBuf bytes = preamble.encode(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(ByteBufUtil.hexDump(bytes)).isEqualTo("52504c50" + "01" + "01" + "03" + "c8"
                + "0102030405060708");
            assertThat(Preamble.decode(bytes)).isEqualTo(preamble);
            assertThat(bytes.isReadable()).isFalse();
        } finally {
            bytes.release();
        }
    }

    @Test
    void aPreambleWithAWrongMagicVersionOrStreamIsMalformed() {
        assertThatThrownBy(() -> Preamble.decode(Unpooled.wrappedBuffer(PeerHostileTest.preamble(0x52504C57, 1, 0,
            2, 1)))).isInstanceOf(Preamble.MalformedPreambleException.class).hasMessage("bad preamble magic 0x52504c57");
        assertThatThrownBy(() -> Preamble.decode(Unpooled.wrappedBuffer(PeerHostileTest.preamble(Preamble.MAGIC, 9,
            0, 2, 1)))).hasMessage("unsupported preamble version 9");
        assertThatThrownBy(() -> Preamble.decode(Unpooled.wrappedBuffer(PeerHostileTest.preamble(Preamble.MAGIC, 1,
            2, 2, 1)))).hasMessage("unknown stream 2");
        assertThatThrownBy(() -> new Preamble(MessageType.Stream.DATA, 256, 1, 0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsFromAConnectionTakeEachPathsLocalEndFromTheLocalHost() {
        PathConfig first = new PathConfig(new Endpoint("alice", Address.parse(List.of("10.0.0.1:7789"))),
            new Endpoint("bob", Address.parse(List.of("10.0.0.2:7789"))), HERE);
        PathConfig second = new PathConfig(new Endpoint("bob", Address.parse(List.of("10.1.0.2:7790"))),
            new Endpoint("alice", Address.parse(List.of("10.1.0.1:7790"))), HERE);
        ConnectionConfig connection = new ConnectionConfig(Optional.empty(), "alice", "bob", List.of(first, second),
            NetConfig.DEFAULT, HERE);

        PeerLinkOptions bob = PeerLinkOptions.of(connection, "bob", 1, 0, true);
        assertThat(bob.paths()).extracting(path -> path.local().endpoint() + " -> " + path.peer().endpoint())
            .containsExactly("10.0.0.2:7789 -> 10.0.0.1:7789", "10.1.0.2:7790 -> 10.1.0.1:7790");
        assertThat(bob.dials()).isTrue();
        assertThat(bob.discardMyData()).isTrue();
        assertThat(PeerLinkOptions.of(connection, "alice", 0, 1, false).dials()).isFalse();
        assertThatThrownBy(() -> PeerLinkOptions.of(connection, "carol", 2, 0, false))
            .hasMessageContaining("carol is not an end");
    }

    @Test
    void optionsThatCannotWorkAreRefusedWhenMade() {
        List<PeerPath> one = List.of(Node.path(1, 2));
        assertThatThrownBy(() -> new PeerLinkOptions(1, 1, one, NetConfig.DEFAULT, false))
            .hasMessageContaining("to itself");
        assertThatThrownBy(() -> new PeerLinkOptions(1, 2, List.of(), NetConfig.DEFAULT, false))
            .hasMessageContaining("at least one path");
        assertThatThrownBy(() -> new PeerLinkOptions(1, 2, one, Node.net("data-integrity-alg", "md5"), false))
            .hasMessage("unsupported data-integrity-alg 'md5': use crc32c or sha256");
        assertThatThrownBy(() -> new PeerLinkOptions(1, 2, one, Node.net("cram-hmac-alg", "sha256"), false))
            .hasMessageContaining("needs a shared-secret");
    }

    @Test
    void netOptionsMapToTheCodecSettings() {
        assertThat(DigestKind.of(Optional.empty())).isEqualTo(DigestKind.NONE);
        assertThat(DigestKind.of(Optional.of(""))).isEqualTo(DigestKind.NONE);
        assertThat(DigestKind.of(Optional.of("CRC32C"))).isEqualTo(DigestKind.CRC32C);
        assertThat(DigestKind.of(Optional.of("sha256"))).isEqualTo(DigestKind.SHA256);
        assertThat(Compression.of("lz4")).isEqualTo(Compression.LZ4);
        assertThat(Compression.of(NetConfig.DEFAULT.compression())).isEqualTo(Compression.NONE);
        assertThatThrownBy(() -> Compression.of("zstd")).hasMessageContaining("use lz4 or none");
        PeerLinkOptions options = new PeerLinkOptions(1, 2, List.of(Node.path(1, 2)),
            Node.net("compression", "lz4", "data-integrity-alg", "sha256"), false);
        assertThat(options.compression()).isEqualTo(Compression.LZ4);
        assertThat(options.digest()).isEqualTo(DigestKind.SHA256);
    }

    @Test
    void disconnectReasonsSayWhatFailedAndOnWhichChannel() {
        assertThat(DisconnectReasons.of(MessageType.Stream.DATA, new IntegrityException(2, 8, 9, DigestKind.SHA256)))
            .isEqualTo("data integrity check failed on the data channel: SHA256 digest mismatch in volume 2 at "
                + "sector 8 (block id 9)");
        assertThat(DisconnectReasons.of(MessageType.Stream.CONTROL, new CorruptedFrameException("bad frame magic 0x1")))
            .isEqualTo("protocol error on the control channel: bad frame magic 0x1");
        assertThat(DisconnectReasons.of(MessageType.Stream.DATA, new IOException("Connection reset by peer")))
            .isEqualTo("I/O error on the data channel: Connection reset by peer");
        assertThat(DisconnectReasons.of(MessageType.Stream.DATA, new DecoderException(new SSLException("bad record"))))
            .isEqualTo("TLS error on the data channel: bad record");
        assertThat(DisconnectReasons.of(MessageType.Stream.CONTROL, new KeepAliveHandler.PingTimeoutException(500)))
            .isEqualTo("ping ack did not arrive in time (ping-timeout 500 ms)");
    }
}

package io.replicator.net.protocol;

import io.replicator.net.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Encoder and decoder together: every message round-trips, data frames with each compression and digest. */
@ExtendWith(NettyLeakCheck.class)
class MessageDecoderTest {
    private static final int BLOCK = 4096;

    static Stream<PeerMessage> controlMessages() {
        return Stream.of(
            new PeerMessage.Barrier(7),
            new PeerMessage.BarrierAck(-1, 4096),
            new PeerMessage.RecvAck(1, 8L, 0xdeadbeefcafeL, 4096, 3),
            new PeerMessage.WriteAck(65535, Long.MAX_VALUE, -1L, 1 << 20, Integer.MIN_VALUE),
            new PeerMessage.NegAck(2, 0L, 5L, 512, 9),
            new PeerMessage.Ping(),
            new PeerMessage.PingAck(),
            new PeerMessage.Disconnect(),
            new PeerMessage.OutOfSync(3, 1024L, 65536),
            new PeerMessage.Sync(MessageType.SYNC, 4, 1, 2048L, 4096, 77L, new byte[0]),
            new PeerMessage.Sync(MessageType.SYNC_REPLY, 5, 8, 4096L, 4096, 78L, new byte[] {1, 2, 3, 4}),
            new PeerMessage.Uuids(6, 0x1234L, new long[] {1, 2}, new long[] {3, 4, 5}, 0b101L),
            new PeerMessage.Uuids(6, 0x1234L, new long[0], new long[0], 0L),
            new PeerMessage.Sizes(7, 1L << 40, 1L << 39, 1 << 20),
            new PeerMessage.State(8, 1, 8, 0x3));
    }

    @ParameterizedTest
    @MethodSource("controlMessages")
    void shouldRoundTripControlMessage(PeerMessage message) {
        try (Wire wire = new Wire(Compression.LZ4, DigestKind.CRC32C)) {
            PeerMessage decoded = wire.roundTrip(message);
            assertThat(decoded).isEqualTo(message);
            assertThat(decoded.type()).isEqualTo(message.type());
        }
    }

    @Test
    void shouldRoundTripEveryMessageType() {
        List<MessageType> covered = Stream.concat(controlMessages().map(PeerMessage::type),
            Stream.of(MessageType.DATA, MessageType.RESYNC_DATA, MessageType.BITMAP_CHUNK)).distinct().toList();
        assertThat(covered).containsExactlyInAnyOrder(MessageType.values());
    }

    @Test
    void shouldRoundTripBitmapChunkAsRetainedSlice() {
        try (Wire wire = new Wire(Compression.NONE, DigestKind.NONE)) {
            ByteBuf rle = Unpooled.wrappedBuffer(new byte[] {1, 5, (byte) 0x80, 1, 3});
            PeerMessage.BitmapChunk sent = new PeerMessage.BitmapChunk(2, 4096L, rle.retainedDuplicate(), true);
            PeerMessage.BitmapChunk decoded = (PeerMessage.BitmapChunk) wire.roundTrip(sent);
            try {
                assertThat(decoded.fromBit()).isEqualTo(4096L);
                assertThat(decoded.last()).isTrue();
                assertThat(decoded.volume()).isEqualTo(2);
                assertThat(decoded.rle()).isEqualTo(rle);
            } finally {
                decoded.release();
                rle.release();
            }
        }
    }

    static Stream<Arguments> dataCodecs() {
        return Stream.of(Compression.values()).flatMap(c -> Stream.of(DigestKind.values()).flatMap(d ->
            Stream.of(MessageType.DATA, MessageType.RESYNC_DATA).map(t -> Arguments.of(c, d, t))));
    }

    @ParameterizedTest
    @MethodSource("dataCodecs")
    void shouldRoundTripDataFrame(Compression compression, DigestKind digest, MessageType type) {
        try (Wire wire = new Wire(compression, digest)) {
            for (ByteBuf block : List.of(halfZero(BLOCK, 1), random(BLOCK, 2), halfZero(1 << 20, 3))) {
                int dpFlags = DataHeaderFlyweight.DP_FUA | DataHeaderFlyweight.DP_SEND_WRITE_ACK;
                DataFrame sent = new DataFrame(type, 3, 16L, 99L, 5, dpFlags, block.retainedDuplicate());
                DataFrame decoded = (DataFrame) wire.roundTrip(sent);
                try {
                    assertThat(decoded.type()).isEqualTo(type);
                    assertThat(decoded.volume()).isEqualTo(3);
                    assertThat(decoded.sector()).isEqualTo(16L);
                    assertThat(decoded.blockId()).isEqualTo(99L);
                    assertThat(decoded.sequence()).isEqualTo(5);
                    assertThat(decoded.dpFlags()).isEqualTo(dpFlags);
                    assertThat(decoded.sizeBytes()).isEqualTo(block.readableBytes());
                    assertThat(bytes(decoded.payload())).isEqualTo(bytes(block));
                } finally {
                    decoded.release();
                    block.release();
                }
            }
        }
    }

    @Test
    void shouldRoundTripDiscardWithoutData() {
        try (Wire wire = new Wire(Compression.LZ4, DigestKind.SHA256)) {
            DataFrame sent = new DataFrame(MessageType.DATA, 0, 0L, 1L, 2, DataHeaderFlyweight.DP_DISCARD,
                -1, Unpooled.EMPTY_BUFFER);
            DataFrame decoded = (DataFrame) wire.roundTrip(sent);
            assertThat(Integer.toUnsignedLong(decoded.sizeBytes())).isEqualTo(0xFFFFFFFFL);
            assertThat(decoded.payload().readableBytes()).isZero();
            decoded.release();
        }
    }

    @Test
    void shouldHandOnUncompressedPayloadAsSliceOfTheFrame() {
        try (Wire wire = new Wire(Compression.NONE, DigestKind.NONE)) {
            ByteBuf block = random(BLOCK, 4);
            DataFrame decoded = (DataFrame) wire.roundTrip(new DataFrame(MessageType.DATA, 0, 0L, 0L, 0, 0,
                block.retainedDuplicate()));
            assertThat(decoded.payload().unwrap()).as("a slice, not a copy").isNotNull();
            decoded.release();
            block.release();
        }
    }

    @ParameterizedTest
    @MethodSource("dataCodecs")
    void shouldDecodeWhenLargeFrameArrivesInSmallPieces(Compression compression, DigestKind digest, MessageType type) {
        try (Wire wire = new Wire(compression, digest)) {
            ByteBuf block = halfZero(1 << 20, 9);
            ByteBuf frame = wire.encode(new DataFrame(type, 1, 8L, 2L, 3, 0, block.retainedDuplicate()));
            List<Object> decoded = new java.util.ArrayList<>();
            while (frame.readableBytes() > 1500) {
                decoded.addAll(wire.feed(frame.readRetainedSlice(1500)));
            }
            decoded.addAll(wire.feed(frame));
            assertThat(decoded).hasSize(1);
            DataFrame received = (DataFrame) decoded.get(0);
            assertThat(bytes(received.payload())).isEqualTo(bytes(block));
            received.release();
            block.release();
        }
    }

    static Stream<DigestKind> digests() {
        return Stream.of(DigestKind.CRC32C, DigestKind.SHA256);
    }

    @ParameterizedTest
    @MethodSource("digests")
    void shouldFailIntegrityWhenPayloadByteIsCorrupted(DigestKind digest) {
        for (Compression compression : Compression.values()) {
            try (Wire wire = new Wire(compression, digest)) {
                ByteBuf frame = wire.encode(new DataFrame(MessageType.DATA, 4, 800L, 42L, 1, 0, random(BLOCK, 5)));
                int last = frame.writerIndex() - 1;
                if (compression == Compression.NONE) {
                    frame.setByte(last, frame.getByte(last) ^ 0x01);
                    assertThatThrownBy(() -> wire.feed(frame)).isInstanceOfSatisfying(IntegrityException.class,
                        e -> {
                            assertThat(e.sector()).isEqualTo(800L);
                            assertThat(e.volume()).isEqualTo(4);
                            assertThat(e.blockId()).isEqualTo(42L);
                        });
                } else {
                    // random data goes raw even with LZ4 on, so the flip hits the data as well
                    frame.setByte(last, frame.getByte(last) ^ 0x10);
                    assertThatThrownBy(() -> wire.feed(frame)).isInstanceOf(IntegrityException.class);
                }
            }
        }
    }

    @Test
    void shouldFailCleanlyWhenCompressedDataIsCorrupted() {
        try (Wire wire = new Wire(Compression.LZ4, DigestKind.NONE)) {
            ByteBuf frame = wire.encode(new DataFrame(MessageType.DATA, 0, 0L, 0L, 0, 0, halfZero(BLOCK, 6)));
            assertThat(frame.getShort(FrameDescriptor.FLAGS_OFFSET)).isEqualTo((short) FrameDescriptor.FLAG_LZ4);
            int size = FrameDescriptor.HEADER_BYTES + DataHeaderFlyweight.SIZE_OFFSET;
            frame.setInt(size, BLOCK - 1);
            assertThatThrownBy(() -> wire.feed(frame)).isInstanceOf(CorruptedFrameException.class);
        }
    }

    @Test
    void shouldFailWhenDigestKindIsNotTheAgreedOne() {
        try (Wire sender = new Wire(Compression.NONE, DigestKind.NONE);
             Wire receiver = new Wire(Compression.NONE, DigestKind.CRC32C)) {
            ByteBuf frame = sender.encode(new DataFrame(MessageType.DATA, 0, 0L, 0L, 0, 0, random(512, 7)));
            assertThatThrownBy(() -> receiver.feed(frame)).isInstanceOf(CorruptedFrameException.class);
        }
    }

    @Test
    void shouldFailWhenTypeIsUnknown() {
        try (Wire wire = new Wire(Compression.NONE, DigestKind.NONE)) {
            ByteBuf frame = wire.encode(new PeerMessage.Ping());
            frame.setShort(FrameDescriptor.TYPE_OFFSET, 0x7777);
            assertThatThrownBy(() -> wire.feed(frame)).isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("unknown message type 0x7777");
        }
    }

    @Test
    void shouldFailWhenControlBodyHasWrongLength() {
        try (Wire wire = new Wire(Compression.NONE, DigestKind.NONE)) {
            ByteBuf frame = wire.encode(new PeerMessage.Barrier(1));
            frame.setInt(FrameDescriptor.LENGTH_OFFSET, 3);
            frame.writerIndex(frame.writerIndex() - 1);
            assertThatThrownBy(() -> wire.feed(frame)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("BARRIER body of 3 bytes");
        }
    }

    @Test
    void shouldCutBytesOnWireByFortyPercentWhenHalfZeroAndSendRandomRaw() {
        int blocks = 64;
        long plain;
        try (Wire wire = new Wire(Compression.NONE, DigestKind.NONE)) {
            sendBlocks(wire, blocks, true);
            plain = wire.bytesOnWire();
        }
        try (Wire wire = new Wire(Compression.LZ4, DigestKind.NONE)) {
            sendBlocks(wire, blocks, true);
            assertThat(wire.bytesOnWire()).isLessThanOrEqualTo((long) (plain * 0.6));
        }
        try (Wire wire = new Wire(Compression.LZ4, DigestKind.NONE)) {
            ByteBuf frame = wire.encode(new DataFrame(MessageType.DATA, 0, 0L, 0L, 0, 0, random(BLOCK, 8)));
            assertThat(frame.getShort(FrameDescriptor.FLAGS_OFFSET)).as("raw, flag bit 0 clear").isZero();
            assertThat(frame.readableBytes()).isEqualTo(FrameDescriptor.HEADER_BYTES
                + DataHeaderFlyweight.FIXED_BYTES + BLOCK);
            wire.feed(frame).forEach(m -> ((DataFrame) m).release());
        }
    }

    private static void sendBlocks(Wire wire, int blocks, boolean halfZero) {
        for (int i = 0; i < blocks; i++) {
            ByteBuf block = halfZero ? halfZero(BLOCK, i) : random(BLOCK, i);
            DataFrame decoded = (DataFrame) wire.roundTrip(new DataFrame(MessageType.DATA, 0, 8L * i, i, i, 0,
                block.retainedDuplicate()));
            assertThat(bytes(decoded.payload())).isEqualTo(bytes(block));
            decoded.release();
            block.release();
        }
    }

    /** Each 4 KiB block: 2 KiB of zeroes, then 2 KiB of random bytes. */
    /**
     * The readable bytes, copied in one bulk read: comparing buffers directly reads them 8 bytes at a time, and
     * paranoid leak detection records every access to a tracked buffer (2 s for each 1 MiB comparison).
     */
    static byte[] bytes(ByteBuf buffer) {
        return ByteBufUtil.getBytes(buffer);
    }

    static ByteBuf halfZero(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i % BLOCK < BLOCK / 2 ? 0 : random.nextInt(256));
        }
        // One bulk write: paranoid leak detection records every single access to a tracked buffer.
        return PooledByteBufAllocator.DEFAULT.directBuffer(length).writeBytes(bytes);
    }

    static ByteBuf random(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return PooledByteBufAllocator.DEFAULT.directBuffer(length).writeBytes(bytes);
    }
}

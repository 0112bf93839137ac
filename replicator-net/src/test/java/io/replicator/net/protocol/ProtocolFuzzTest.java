package io.replicator.net.protocol;

import io.replicator.net.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import io.replicator.core.testing.SeededTries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against {@link FrameDecoder} + {@link MessageDecoder}: garbage, truncated, oversized and bit-flipped
 * frames. Every try must end in an exception where the input cannot be valid, and in either an exception or clean
 * messages otherwise; no try may hang (EmbeddedChannel runs synchronously; a timeout bounds each test), allocate more
 * than one frame's worth, or leak a buffer (paranoid leak detection, checked after the class). Seeded
 * ({@link SeededTries}: the seed is printed, and {@code -Dreplicator.seed=S} repeats a run).
 */
@ExtendWith(NettyLeakCheck.class)
@Timeout(120)
class ProtocolFuzzTest {
    private static final int FLAG_BITS_START = FrameDescriptor.FLAGS_OFFSET * 8;

    /** Bytes that are not a frame (a leading magic is spoiled before the try). */
    record Garbage(byte[] bytes) {
        @Override
        public String toString() {
            return bytes.length + " bytes " + HexFormat.of().formatHex(bytes);
        }
    }

    @Test
    void shouldFailOnGarbage() {
        byte[] magic = ByteBuffer.allocate(4).putInt(FrameDescriptor.MAGIC).array();
        byte[] header = Arrays.copyOf(magic, FrameDescriptor.HEADER_BYTES);
        byte[] ones = new byte[300];
        Arrays.fill(ones, (byte) -1);
        SeededTries.check(300, List.of(
                new Garbage(new byte[] {0}),
                new Garbage(new byte[] {-1}),
                new Garbage(new byte[] {Byte.MIN_VALUE}),
                new Garbage(new byte[] {Byte.MAX_VALUE}),
                new Garbage(new byte[300]),
                new Garbage(ones),
                new Garbage(magic),
                new Garbage(header)),
            random -> {
                byte[] bytes = new byte[random.nextInt(1, 301)];
                random.nextBytes(bytes);
                return new Garbage(bytes);
            },
            input -> {
                byte[] garbage = input.bytes().clone();
                if (garbage.length >= 4 && Unpooled.wrappedBuffer(garbage).getInt(0) == FrameDescriptor.MAGIC) {
                    garbage[0] ^= 1;
                }
                assertThat(decode(Unpooled.wrappedBuffer(garbage), DigestKind.NONE)).isTrue();
            });
    }

    /** A frame drawn from {@code new SplittableRandom(seed)}, cut to {@code 1 + cut % (length - 1)} bytes. */
    record Truncation(long seed, int cut) {
    }

    @Test
    void shouldFailOnTruncatedFrame() {
        SeededTries.check(300, List.of(
                new Truncation(0, 1),
                new Truncation(0, 1 << 16),
                new Truncation(-1, 2),
                new Truncation(Long.MAX_VALUE, (1 << 16) - 1),
                new Truncation(Long.MIN_VALUE, 1)),
            random -> new Truncation(random.nextLong(), random.nextInt(1, (1 << 16) + 1)),
            truncation -> {
                SplittableRandom random = new SplittableRandom(truncation.seed());
                DigestKind digest = DigestKind.values()[random.nextInt(DigestKind.values().length)];
                ByteBuf frame = encode(sample(random), random.nextBoolean() ? Compression.LZ4 : Compression.NONE,
                    digest);
                frame.writerIndex(1 + truncation.cut() % (frame.readableBytes() - 1));
                assertThat(decode(frame, digest)).isTrue();
            });
    }

    /** A header announcing {@code length} payload bytes (over the maximum, up to 2^32 - 1), then {@code tail} zeros. */
    record Oversized(long length, int tail) {
    }

    @Test
    void shouldFailOnOversizedFrame() {
        long min = FrameDescriptor.MAX_PAYLOAD_BYTES + 1L;
        long max = 0xFFFFFFFFL;
        SeededTries.check(100, List.of(
                new Oversized(min, 0),
                new Oversized(min, 64),
                new Oversized(max, 0),
                new Oversized(max, 64),
                new Oversized(Integer.MAX_VALUE, 1),
                new Oversized(Integer.MAX_VALUE + 1L, 0)),
            random -> new Oversized(random.nextLong(min, max + 1), random.nextInt(65)),
            oversized -> {
                ByteBuf frame = Unpooled.buffer();
                FrameDescriptor.writeHeader(frame, MessageType.DATA, 0, (int) oversized.length(), 0);
                frame.writeZero(oversized.tail());
                EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(), new MessageDecoder(DigestKind.NONE));
                try {
                    channel.writeInbound(frame);
                    throw new AssertionError("accepted a payload of " + oversized.length() + " bytes");
                } catch (TooLongFrameException expected) {
                    // the connection would close here
                } finally {
                    channel.finishAndReleaseAll();
                }
            });
    }

    /** A frame drawn from {@code new SplittableRandom(seed)} with bit {@code where % bits} flipped. */
    record BitFlip(long seed, int where) {
    }

    @Test
    void shouldFailOrDecodeCleanlyOnBitFlip() {
        SeededTries.check(500, List.of(
                new BitFlip(0, 0),
                new BitFlip(0, Integer.MAX_VALUE),
                new BitFlip(1, 1),
                new BitFlip(-1, 31),
                new BitFlip(Long.MIN_VALUE, 32),
                new BitFlip(Long.MAX_VALUE, FLAG_BITS_START + 15)),
            random -> new BitFlip(random.nextLong(), random.nextInt() & Integer.MAX_VALUE),
            flip -> {
                SplittableRandom random = new SplittableRandom(flip.seed());
                DigestKind digest = DigestKind.values()[1 + random.nextInt(2)];
                ByteBuf frame = encode(sample(random), random.nextBoolean() ? Compression.LZ4 : Compression.NONE,
                    digest);
                int bit = flip.where() % (frame.readableBytes() * 8);
                frame.setByte(bit / 8, frame.getByte(bit / 8) ^ (0x80 >>> (bit % 8)));
                boolean headerCheckBit = bit < 32
                    || bit >= FLAG_BITS_START && bit < FrameDescriptor.HEADER_BYTES * 8 && bit != FLAG_BITS_START + 15;
                boolean failed = decode(frame, digest);
                if (headerCheckBit) {
                    assertThat(failed).as("flip of bit %d in magic, flags or reserved", bit).isTrue();
                }
            });
    }

    /** Feeds the input and ends the stream; true if the decoders failed. Releases whatever was decoded. */
    private static boolean decode(ByteBuf input, DigestKind digest) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(), new MessageDecoder(digest));
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        boolean failed = false;
        try {
            channel.writeInbound(input);
        } catch (RuntimeException e) {
            failed = true;
        }
        try {
            channel.finish();
        } catch (RuntimeException e) {
            failed = true;
        }
        for (Object message; (message = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(message);
        }
        return failed;
    }

    private static ByteBuf encode(PeerMessage message, Compression compression, DigestKind digest) {
        EmbeddedChannel channel = new EmbeddedChannel(new MessageEncoder(compression, digest));
        channel.writeOutbound(message);
        ByteBuf frame = Unpooled.buffer();
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            frame.writeBytes(part);
            part.release();
        }
        channel.finishAndReleaseAll();
        return frame;
    }

    private static PeerMessage sample(SplittableRandom r) {
        int volume = r.nextInt(4);
        switch (r.nextInt(8)) {
            case 0:
                return new PeerMessage.Barrier(r.nextInt());
            case 1:
                return new PeerMessage.WriteAck(volume, r.nextLong(), r.nextLong(), r.nextInt(), r.nextInt());
            case 2:
                return new PeerMessage.Uuids(volume, r.nextLong(), new long[r.nextInt(4)], new long[r.nextInt(4)],
                    r.nextLong());
            case 3:
                return new PeerMessage.BitmapChunk(volume, r.nextLong(1L << 40),
                    Unpooled.wrappedBuffer(bytes(r, r.nextInt(64), false)), r.nextBoolean());
            case 4:
                return new PeerMessage.State(volume, r.nextInt(3), r.nextInt(9), r.nextInt());
            default:
                byte[] data = bytes(r, 512 * r.nextInt(17), r.nextBoolean());
                return new DataFrame(r.nextBoolean() ? MessageType.DATA : MessageType.RESYNC_DATA, volume,
                    r.nextLong(), r.nextLong(), r.nextInt(), r.nextInt(1 << 6) & ~DataHeaderFlyweight.DP_NO_DATA,
                    Unpooled.wrappedBuffer(data));
        }
    }

    private static byte[] bytes(SplittableRandom r, int length, boolean halfZero) {
        byte[] bytes = new byte[length];
        for (int i = halfZero ? length / 2 : 0; i < length; i++) {
            bytes[i] = (byte) r.nextInt(256);
        }
        return bytes;
    }
}

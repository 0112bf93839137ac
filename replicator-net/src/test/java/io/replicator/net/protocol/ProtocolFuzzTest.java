package io.replicator.net.protocol;

import io.replicator.net.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against {@link FrameDecoder} + {@link MessageDecoder}: garbage, truncated, oversized and bit-flipped
 * frames. Every try must end in an exception where the input cannot be valid, and in either an exception or clean
 * messages otherwise; no try may hang (EmbeddedChannel runs synchronously), allocate more than one frame's worth, or
 * leak a buffer (paranoid leak detection, checked after the container). jqwik prints the seed of a failing try.
 */
class ProtocolFuzzTest {
    private static final int FLAG_BITS_START = FrameDescriptor.FLAGS_OFFSET * 8;

    @BeforeContainer
    static void listenForLeaks() {
        NettyLeakCheck.reset();
    }

    @AfterContainer
    static void noLeaks() {
        NettyLeakCheck.assertNoLeaks();
    }

    @Property(tries = 300)
    void shouldFailOnGarbage(@ForAll @Size(min = 1, max = 300) byte[] garbage) {
        if (garbage.length >= 4 && Unpooled.wrappedBuffer(garbage).getInt(0) == FrameDescriptor.MAGIC) {
            garbage[0] ^= 1;
        }
        assertThat(decode(Unpooled.wrappedBuffer(garbage), DigestKind.NONE)).isTrue();
    }

    @Property(tries = 300)
    void shouldFailOnTruncatedFrame(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1 << 16) int cut) {
        SplittableRandom random = new SplittableRandom(seed);
        DigestKind digest = DigestKind.values()[random.nextInt(DigestKind.values().length)];
        ByteBuf frame = encode(sample(random), random.nextBoolean() ? Compression.LZ4 : Compression.NONE, digest);
        frame.writerIndex(1 + cut % (frame.readableBytes() - 1));
        assertThat(decode(frame, digest)).isTrue();
    }

    @Property(tries = 100)
    void shouldFailOnOversizedFrame(@ForAll @LongRange(min = FrameDescriptor.MAX_PAYLOAD_BYTES + 1L,
        max = 0xFFFFFFFFL) long length, @ForAll @IntRange(min = 0, max = 64) int tail) {
        ByteBuf frame = Unpooled.buffer();
        FrameDescriptor.writeHeader(frame, MessageType.DATA, 0, (int) length, 0);
        frame.writeZero(tail);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(), new MessageDecoder(DigestKind.NONE));
        try {
            channel.writeInbound(frame);
            throw new AssertionError("accepted a payload of " + length + " bytes");
        } catch (TooLongFrameException expected) {
            // the connection would close here
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Property(tries = 500)
    void shouldFailOrDecodeCleanlyOnBitFlip(@ForAll long seed, @ForAll @IntRange(min = 0) int where) {
        SplittableRandom random = new SplittableRandom(seed);
        DigestKind digest = DigestKind.values()[1 + random.nextInt(2)];
        ByteBuf frame = encode(sample(random), random.nextBoolean() ? Compression.LZ4 : Compression.NONE, digest);
        int bit = where % (frame.readableBytes() * 8);
        frame.setByte(bit / 8, frame.getByte(bit / 8) ^ (0x80 >>> (bit % 8)));
        boolean headerCheckBit = bit < 32
            || bit >= FLAG_BITS_START && bit < FrameDescriptor.HEADER_BYTES * 8 && bit != FLAG_BITS_START + 15;
        boolean failed = decode(frame, digest);
        if (headerCheckBit) {
            assertThat(failed).as("flip of bit %d in magic, flags or reserved", bit).isTrue();
        }
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

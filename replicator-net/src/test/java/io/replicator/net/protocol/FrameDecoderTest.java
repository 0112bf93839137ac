package io.replicator.net.protocol;

import io.replicator.net.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NettyLeakCheck.class)
class FrameDecoderTest {

    private static ByteBuf frame(int magic, int length, int flags, int reserved, int payloadBytes) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeInt(magic).writeShort(MessageType.PING.code()).writeShort(0).writeInt(length)
            .writeShort(flags).writeShort(reserved).writeZero(payloadBytes);
        return buf;
    }

    @Test
    void shouldPassWholeFrameWhenItArrivesInPieces() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        ByteBuf whole = frame(FrameDescriptor.MAGIC, 10, 0, 0, 10);
        assertThat(channel.writeInbound(whole.readRetainedSlice(5))).isFalse();
        assertThat(channel.writeInbound(whole.readRetainedSlice(15))).isFalse();
        assertThat(channel.writeInbound(whole)).isTrue();
        ByteBuf out = channel.readInbound();
        assertThat(out.readableBytes()).isEqualTo(26);
        out.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldRejectBadMagic() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        assertThatThrownBy(() -> channel.writeInbound(frame(0x52504C58, 0, 0, 0, 0)))
            .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("magic");
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldRejectUnknownFlags() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        assertThatThrownBy(() -> channel.writeInbound(frame(FrameDescriptor.MAGIC, 0, 2, 0, 0)))
            .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("flags");
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldRejectNonZeroReserved() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        assertThatThrownBy(() -> channel.writeInbound(frame(FrameDescriptor.MAGIC, 0, 0, 1, 0)))
            .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("reserved");
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldRejectOversizedLengthBeforeBuffering() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        assertThatThrownBy(() -> channel.writeInbound(frame(FrameDescriptor.MAGIC,
            FrameDescriptor.MAX_PAYLOAD_BYTES + 1, 0, 0, 0))).isInstanceOf(TooLongFrameException.class);
        assertThatThrownBy(() -> new EmbeddedChannel(new FrameDecoder()).writeInbound(
            frame(FrameDescriptor.MAGIC, -1, 0, 0, 0))).isInstanceOf(TooLongFrameException.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldAcceptMaximumPayload() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        assertThat(channel.writeInbound(frame(FrameDescriptor.MAGIC, FrameDescriptor.MAX_PAYLOAD_BYTES, 1, 0,
            FrameDescriptor.MAX_PAYLOAD_BYTES))).isTrue();
        ByteBuf out = channel.readInbound();
        assertThat(out.readableBytes()).isEqualTo(FrameDescriptor.MAX_FRAME_BYTES);
        out.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldFailWhenStreamEndsInsideFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        ByteBuf truncated = frame(FrameDescriptor.MAGIC, 8, 0, 0, 8);
        truncated.writerIndex(truncated.writerIndex() - 1);
        assertThat(channel.writeInbound(truncated)).isFalse();
        assertThatThrownBy(channel::finish).isInstanceOf(CorruptedFrameException.class)
            .hasMessageContaining("stream ended inside a frame");
    }
}

package io.replicator.net.nbd;

import io.replicator.net.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
@ExtendWith(NettyLeakCheck.class)
class NbdRequestDecoderTest {
    private static ByteBuf header(int magic, int flags, int type, long cookie, long offset, int length) {
        return Unpooled.buffer().writeInt(magic).writeShort(flags).writeShort(type).writeLong(cookie)
            .writeLong(offset).writeInt(length);
    }

    @Test
    void shouldEmitAWriteWithItsPayloadAsASliceWhenTheFrameArrivesInPieces() {
        EmbeddedChannel channel = new EmbeddedChannel(new NbdRequestDecoder());
        ByteBuf frame = header(NbdDescriptor.REQUEST_MAGIC, 1, NbdDescriptor.CMD_WRITE, 9, 4096, 6)
            .writeBytes(new byte[] {1, 2, 3, 4, 5, 6});
        assertThat(channel.writeInbound(frame.readRetainedSlice(10))).isFalse();
        assertThat(channel.writeInbound(frame.readRetainedSlice(20))).isFalse();
        assertThat(channel.writeInbound(frame)).isTrue();
        NbdRequest request = channel.readInbound();
        assertThat(request.type()).isEqualTo(NbdDescriptor.CMD_WRITE);
        assertThat(request.flags()).isEqualTo(1);
        assertThat(request.cookie()).isEqualTo(9);
        assertThat(request.offset()).isEqualTo(4096);
        assertThat(request.content().readableBytes()).isEqualTo(6);
        assertThat(request.content().getByte(5)).isEqualTo((byte) 6);
        request.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldFlagAnOversizedWriteAndSkipItsPayloadWhenItExceedsTheLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new NbdRequestDecoder());
        int length = NbdDescriptor.MAX_PAYLOAD_BYTES + 1;
        channel.writeInbound(header(NbdDescriptor.REQUEST_MAGIC, 0, NbdDescriptor.CMD_WRITE, 1, 0, length));
        NbdRequest oversized = channel.readInbound();
        assertThat(oversized.oversized()).isTrue();
        oversized.release();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[length]));
        channel.writeInbound(header(NbdDescriptor.REQUEST_MAGIC, 0, NbdDescriptor.CMD_READ, 2, 0, 512));
        NbdRequest next = channel.readInbound();
        assertThat(next.cookie()).isEqualTo(2);
        next.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldFailTheFrameWhenTheMagicIsBad() {
        EmbeddedChannel channel = new EmbeddedChannel(new NbdRequestDecoder());
        assertThatThrownBy(() -> channel.writeInbound(header(0x12345678, 0, 0, 0, 0, 0)))
            .isInstanceOf(CorruptedFrameException.class);
        channel.finishAndReleaseAll();
    }
}

package io.replicator.core.bitmap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BitmapRleTest {

    @Test
    void shouldEncodeOneRunWhenAllClear() {
        DirtyBitmap bitmap = new DirtyBitmap(1L << 28); // a 1 TiB volume
        ByteBuf out = Unpooled.buffer();
        try {
            assertThat(BitmapRle.encode(bitmap, 0, out, 4096)).isEqualTo(1L << 28);
            // polarity 0, then 2^28 as a varint: four 7-bit groups 0, 0, 0, 0 and a fifth of 1.
            assertThat(bytes(out)).containsExactly(0, 0x80, 0x80, 0x80, 0x80, 0x01);
        } finally {
            out.release();
        }
    }

    @Test
    void shouldEncodeOneRunWhenAllSet() {
        DirtyBitmap bitmap = new DirtyBitmap(300);
        bitmap.setAll();
        ByteBuf out = Unpooled.buffer();
        try {
            assertThat(BitmapRle.encode(bitmap, 0, out, 4096)).isEqualTo(300);
            assertThat(bytes(out)).containsExactly(1, 0xAC, 0x02);
            DirtyBitmap target = new DirtyBitmap(300);
            assertThat(BitmapRle.decodeOr(out, 0, target)).isEqualTo(300);
            assertThat(target.cardinality()).isEqualTo(300);
        } finally {
            out.release();
        }
    }

    @Test
    void shouldSplitIntoBoundedChunksWhenBitsAlternate() {
        int blocks = 10_000;
        DirtyBitmap source = new DirtyBitmap(blocks);
        BitSet model = new BitSet();
        for (int b = 1; b < blocks; b += 2) {
            source.set(b);
            model.set(b);
        }
        DirtyBitmap target = new DirtyBitmap(blocks);
        ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        try {
            long bit = 0;
            int chunks = 0;
            while (bit < blocks) {
                chunk.clear();
                long next = BitmapRle.encode(source, bit, chunk, 16);
                if (next < blocks) {
                    assertThat(chunk.readableBytes()).isEqualTo(16); // 1 polarity + 15 one-byte runs
                }
                assertThat(BitmapRle.decodeOr(chunk, bit, target)).isEqualTo(next);
                bit = next;
                chunks++;
            }
            assertThat(chunks).isEqualTo((blocks + 14) / 15);
        } finally {
            chunk.release();
        }
        DirtyBitmapTest.assertSameBits(target, model);
    }

    @Test
    void shouldWriteNothingWhenStartingAtTheEnd() {
        DirtyBitmap bitmap = new DirtyBitmap(64);
        ByteBuf out = Unpooled.buffer();
        try {
            assertThat(BitmapRle.encode(bitmap, 64, out, 4096)).isEqualTo(64);
            assertThat(out.isReadable()).isFalse();
            assertThat(BitmapRle.decodeOr(out, 64, bitmap)).isEqualTo(64);
        } finally {
            out.release();
        }
        assertThatThrownBy(() -> BitmapRle.encode(bitmap, 0, Unpooled.buffer(), BitmapRle.MIN_CHUNK_BYTES - 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectInputWhenPolarityByteIsNotABit() {
        assertMalformed(new int[] {2, 5}, 100, "polarity byte is 2");
    }

    @Test
    void shouldRejectInputWhenVarintIsTruncated() {
        assertMalformed(new int[] {0, 0x85}, 100, "truncated varint");
    }

    @Test
    void shouldRejectInputWhenVarintIsOverlong() {
        assertMalformed(new int[] {0, 0x85, 0x00}, 100, "overlong varint");
        assertMalformed(new int[] {0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, 100,
            "overlong varint");
    }

    @Test
    void shouldRejectInputWhenRunPassesTheEnd() {
        assertMalformed(new int[] {1, 60, 41}, 100, "past the end");
        assertMalformed(new int[] {1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, 100, "past the end");
    }

    @Test
    void shouldRejectInputWhenRunIsEmpty() {
        assertMalformed(new int[] {1, 3, 0, 2}, 100, "zero-length run");
    }

    @Test
    void shouldLeaveEarlierRunsAppliedWhenInputIsMalformedLater() {
        DirtyBitmap bitmap = new DirtyBitmap(100);
        ByteBuf in = Unpooled.wrappedBuffer(new byte[] {1, 3, 2, (byte) 0x80});
        try {
            assertThatThrownBy(() -> BitmapRle.decodeOr(in, 10, bitmap)).isInstanceOf(MalformedBitmapException.class);
        } finally {
            in.release();
        }
        // ORing is monotone, so a partial decode only over-approximates: still safe for resync.
        assertThat(bitmap.cardinality()).isEqualTo(3);
        assertThat(bitmap.nextSetBit(0)).isEqualTo(10);
    }

    @Test
    void shouldCountVarintBytesWhenValuesCrossSevenBitGroups() {
        assertThat(BitmapRle.varintBytes(0)).isEqualTo(1);
        assertThat(BitmapRle.varintBytes(127)).isEqualTo(1);
        assertThat(BitmapRle.varintBytes(128)).isEqualTo(2);
        assertThat(BitmapRle.varintBytes(1L << 38)).isEqualTo(6);
        assertThat(BitmapRle.varintBytes(Long.MAX_VALUE)).isEqualTo(BitmapRle.MAX_VARINT_BYTES);
    }

    private static void assertMalformed(int[] input, long blocks, String problem) {
        byte[] bytes = new byte[input.length];
        for (int i = 0; i < input.length; i++) {
            bytes[i] = (byte) input[i];
        }
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            assertThatThrownBy(() -> BitmapRle.decodeOr(in, 0, new DirtyBitmap(blocks)))
                .isInstanceOf(MalformedBitmapException.class)
                .hasMessageContaining(problem);
        } finally {
            in.release();
        }
    }

    private static int[] bytes(ByteBuf buf) {
        int[] bytes = new int[buf.readableBytes()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = buf.getUnsignedByte(buf.readerIndex() + i);
        }
        return bytes;
    }
}

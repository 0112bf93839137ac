package io.replicator.net.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;

/**
 * Cuts the byte stream into whole frames (header included) after checking each header: magic, flag bits, reserved
 * field and payload length. Any violation means the stream is out of step with the peer: the decoder discards what it
 * holds and throws {@link CorruptedFrameException} or {@link TooLongFrameException}, and the pipeline closes the
 * connection. A stream that ends inside a frame also fails. Frames may be composite buffers.
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    public FrameDecoder() {
        super(FrameDescriptor.MAX_FRAME_BYTES, FrameDescriptor.LENGTH_OFFSET, 4,
            FrameDescriptor.HEADER_BYTES - FrameDescriptor.LENGTH_OFFSET - 4, 0, true);
        // A 1 MiB data frame arrives in many socket reads. A composite keeps each read buffer as a component, so the
        // payload slice handed on is the bytes as received rather than a merged copy (as NbdRequestDecoder does).
        setCumulator(COMPOSITE_CUMULATOR);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (in.readableBytes() >= FrameDescriptor.HEADER_BYTES) {
            check(in, in.readerIndex());
        }
        return super.decode(ctx, in);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (in.isReadable()) {
            int left = in.readableBytes();
            in.skipBytes(left);
            throw new CorruptedFrameException("stream ended inside a frame (" + left + " bytes left)");
        }
    }

    private static void check(ByteBuf in, int start) {
        int magic = in.getInt(start + FrameDescriptor.MAGIC_OFFSET);
        if (magic != FrameDescriptor.MAGIC) {
            throw corrupt(in, "bad frame magic 0x" + Integer.toHexString(magic));
        }
        int flags = in.getUnsignedShort(start + FrameDescriptor.FLAGS_OFFSET);
        if ((flags & ~FrameDescriptor.KNOWN_FLAGS) != 0) {
            throw corrupt(in, "unknown frame flags 0x" + Integer.toHexString(flags));
        }
        int reserved = in.getUnsignedShort(start + FrameDescriptor.RESERVED_OFFSET);
        if (reserved != 0) {
            throw corrupt(in, "reserved frame field is 0x" + Integer.toHexString(reserved));
        }
        long length = in.getUnsignedInt(start + FrameDescriptor.LENGTH_OFFSET);
        if (length > FrameDescriptor.MAX_PAYLOAD_BYTES) {
            in.skipBytes(in.readableBytes());
            throw new TooLongFrameException(
                "frame payload of " + length + " bytes exceeds " + FrameDescriptor.MAX_PAYLOAD_BYTES);
        }
    }

    private static CorruptedFrameException corrupt(ByteBuf in, String message) {
        in.skipBytes(in.readableBytes());
        return new CorruptedFrameException(message);
    }
}

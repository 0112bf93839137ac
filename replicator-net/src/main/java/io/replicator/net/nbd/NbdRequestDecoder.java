package io.replicator.net.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;

import java.util.List;

/**
 * Splits the transmission phase's byte stream into {@link NbdRequest}s. A WRITE's payload is a retained slice of
 * the cumulated inbound buffer, never a copy.
 *
 * <p>Invariants: the decoder only ever stops at a request boundary, except while it skips the payload of an
 * oversized WRITE ({@code skipBytes > 0}), which it announces first as an oversized request. A bad magic means the
 * stream is out of sync: the decoder throws {@link CorruptedFrameException} and the connection is closed.
 */
final class NbdRequestDecoder extends ByteToMessageDecoder {
    private long skipBytes;

    NbdRequestDecoder() {
        // A WRITE payload of up to 32 MiB arrives in many socket reads. Merging them would copy it again every time
        // the cumulation grows, and whenever a retained payload slice keeps the old cumulation shared; a composite
        // keeps each read buffer as a component, so the payload slice handed to the disk is the bytes as received.
        setCumulator(COMPOSITE_CUMULATOR);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (skipBytes > 0) {
            int skipped = (int) Math.min(skipBytes, in.readableBytes());
            in.skipBytes(skipped);
            skipBytes -= skipped;
            if (skipBytes > 0) {
                return;
            }
        }
        if (in.readableBytes() < NbdDescriptor.REQUEST_HEADER_BYTES) {
            return;
        }
        int start = in.readerIndex();
        int magic = in.getInt(start);
        if (magic != NbdDescriptor.REQUEST_MAGIC) {
            in.skipBytes(in.readableBytes());
            throw new CorruptedFrameException("bad request magic 0x" + Integer.toHexString(magic));
        }
        int flags = in.getUnsignedShort(start + 4);
        int type = in.getUnsignedShort(start + 6);
        long cookie = in.getLong(start + 8);
        long offset = in.getLong(start + 16);
        long length = in.getUnsignedInt(start + 24);
        if (type != NbdDescriptor.CMD_WRITE) {
            in.skipBytes(NbdDescriptor.REQUEST_HEADER_BYTES);
            out.add(new NbdRequest(flags, type, cookie, offset, length));
            return;
        }
        if (length > NbdDescriptor.MAX_PAYLOAD_BYTES) {
            in.skipBytes(NbdDescriptor.REQUEST_HEADER_BYTES);
            skipBytes = length;
            out.add(new NbdRequest(flags, type, cookie, offset, length, Unpooled.EMPTY_BUFFER, true));
            return;
        }
        if (in.readableBytes() < NbdDescriptor.REQUEST_HEADER_BYTES + length) {
            return;
        }
        in.skipBytes(NbdDescriptor.REQUEST_HEADER_BYTES);
        ByteBuf payload = in.readRetainedSlice((int) length);
        out.add(new NbdRequest(flags, type, cookie, offset, length, payload, false));
    }
}

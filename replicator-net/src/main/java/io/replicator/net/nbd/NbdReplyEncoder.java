package io.replicator.net.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a reply as a small header buffer followed by the data buffer itself (two outbound messages, no copy).
 * Simple replies until structured replies are negotiated; then a READ is one OFFSET_DATA chunk, an error one ERROR
 * chunk and anything else one NONE chunk, each flagged DONE.
 */
final class NbdReplyEncoder extends MessageToMessageEncoder<NbdReply> {
    /** Longest error message sent in an ERROR chunk; longer messages are cut. */
    private static final int MAX_MESSAGE_BYTES = 1024;

    private final boolean structured;

    NbdReplyEncoder(boolean structured) {
        super(NbdReply.class);
        this.structured = structured;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, NbdReply reply, List<Object> out) {
        if (!structured) {
            ByteBuf header = ctx.alloc().ioBuffer(NbdDescriptor.SIMPLE_REPLY_HEADER_BYTES);
            header.writeInt(NbdDescriptor.SIMPLE_REPLY_MAGIC).writeInt(reply.error()).writeLong(reply.cookie());
            out.add(header);
            if (reply.hasData()) {
                out.add(reply.content().retain());
            }
            return;
        }
        if (reply.error() != 0) {
            byte[] message = reply.message().getBytes(StandardCharsets.UTF_8);
            int messageBytes = Math.min(message.length, MAX_MESSAGE_BYTES);
            ByteBuf chunk = ctx.alloc().ioBuffer(NbdDescriptor.STRUCTURED_REPLY_HEADER_BYTES + 6 + messageBytes);
            writeChunkHeader(chunk, NbdDescriptor.REPLY_TYPE_ERROR, reply.cookie(), 6 + messageBytes);
            chunk.writeInt(reply.error()).writeShort(messageBytes).writeBytes(message, 0, messageBytes);
            out.add(chunk);
        } else if (reply.hasData()) {
            ByteBuf data = reply.content();
            ByteBuf header = ctx.alloc().ioBuffer(NbdDescriptor.STRUCTURED_REPLY_HEADER_BYTES + 8);
            writeChunkHeader(header, NbdDescriptor.REPLY_TYPE_OFFSET_DATA, reply.cookie(), 8 + data.readableBytes());
            header.writeLong(reply.offset());
            out.add(header);
            out.add(data.retain());
        } else {
            ByteBuf chunk = ctx.alloc().ioBuffer(NbdDescriptor.STRUCTURED_REPLY_HEADER_BYTES);
            writeChunkHeader(chunk, NbdDescriptor.REPLY_TYPE_NONE, reply.cookie(), 0);
            out.add(chunk);
        }
    }

    private static void writeChunkHeader(ByteBuf buf, int type, long cookie, int payloadBytes) {
        buf.writeInt(NbdDescriptor.STRUCTURED_REPLY_MAGIC)
            .writeShort(NbdDescriptor.REPLY_FLAG_DONE)
            .writeShort(type)
            .writeLong(cookie)
            .writeInt(payloadBytes);
    }
}

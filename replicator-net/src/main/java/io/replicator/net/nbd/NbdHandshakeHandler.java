package io.replicator.net.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.replicator.net.transport.ChannelMove;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the fixed-newstyle handshake: sends the greeting, checks the client flags, answers options
 * one at a time and, on {@code OPT_GO} or {@code OPT_EXPORT_NAME}, replaces itself with the transmission pipeline
 * ({@link NbdReplyEncoder}, {@link NbdRequestDecoder}, {@link NbdTransmissionHandler}).
 *
 * <p>Invariants: the decoder consumes whole options only, so an option it does not know (or refuses) never breaks
 * sync; option data longer than {@link NbdDescriptor#MAX_OPTION_BYTES} is skipped as it arrives and refused with
 * ERR_TOO_BIG; anything that is not an option (bad magic, unknown client flags, an unknown export asked for with
 * EXPORT_NAME, which has no error reply) closes the connection. Replies never carry more than the protocol's
 * string limit of client-controlled text.
 */
final class NbdHandshakeHandler extends ByteToMessageDecoder {
    private static final System.Logger LOG = System.getLogger(NbdHandshakeHandler.class.getName());
    private final NbdExports exports;
    private final NbdTransmissionHandler.Factory transmission;
    private final long timeoutMs;
    /** Where the transmission phase runs; null: on the handshake's loop. */
    private final EventLoop transmissionLoop;
    private boolean flagsReceived;
    private boolean noZeroes;
    private boolean structured;
    private boolean done;
    private long discardBytes;
    private int discardOption;
    private ScheduledFuture<?> timeout;

    NbdHandshakeHandler(NbdExports exports, NbdTransmissionHandler.Factory transmission, long timeoutMs) {
        this(exports, transmission, timeoutMs, null);
    }

    /**
     * @param transmissionLoop where the connection moves once attached (null: it stays): the handshake looks
     *                         exports up, which may wait for the resource's owner, and must not do that on a loop
     *                         the owner may be waiting for (the resource's peer loop)
     */
    NbdHandshakeHandler(NbdExports exports, NbdTransmissionHandler.Factory transmission, long timeoutMs,
                        EventLoop transmissionLoop) {
        this.exports = exports;
        this.transmission = transmission;
        this.timeoutMs = timeoutMs;
        this.transmissionLoop = transmissionLoop;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf greeting = ctx.alloc().buffer(NbdDescriptor.GREETING_BYTES);
        greeting.writeLong(NbdDescriptor.NBDMAGIC).writeLong(NbdDescriptor.IHAVEOPT)
            .writeShort(NbdDescriptor.FLAG_FIXED_NEWSTYLE | NbdDescriptor.FLAG_NO_ZEROES);
        ctx.writeAndFlush(greeting, ctx.voidPromise());
        if (timeoutMs > 0) {
            timeout = ctx.executor().schedule(() -> {
                ctx.close();
            }, timeoutMs, TimeUnit.MILLISECONDS);
        }
        super.channelActive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            return;
        }
        if (!flagsReceived) {
            if (in.readableBytes() < 4) {
                return;
            }
            long flags = in.readUnsignedInt();
            if ((flags & ~NbdDescriptor.CLIENT_FLAGS_KNOWN) != 0) {
                closeNow(ctx, in);
                return;
            }
            noZeroes = (flags & NbdDescriptor.FLAG_NO_ZEROES) != 0;
            flagsReceived = true;
        }
        while (!done && ctx.channel().isActive()) {
            if (discardBytes > 0) {
                int skipped = (int) Math.min(discardBytes, in.readableBytes());
                in.skipBytes(skipped);
                discardBytes -= skipped;
                if (discardBytes > 0) {
                    return;
                }
                reply(ctx, discardOption, NbdDescriptor.REP_ERR_TOO_BIG, "option data longer than "
                    + NbdDescriptor.MAX_OPTION_BYTES + " bytes");
            }
            if (in.readableBytes() < NbdDescriptor.OPTION_HEADER_BYTES) {
                return;
            }
            int start = in.readerIndex();
            if (in.getLong(start) != NbdDescriptor.IHAVEOPT) {
                closeNow(ctx, in);
                return;
            }
            int option = in.getInt(start + 8);
            long length = in.getUnsignedInt(start + 12);
            if (length > NbdDescriptor.MAX_OPTION_BYTES) {
                if (option == NbdDescriptor.OPT_EXPORT_NAME) {
                    closeNow(ctx, in);
                    return;
                }
                in.skipBytes(NbdDescriptor.OPTION_HEADER_BYTES);
                discardBytes = length;
                discardOption = option;
                continue;
            }
            if (in.readableBytes() < NbdDescriptor.OPTION_HEADER_BYTES + length) {
                return;
            }
            in.skipBytes(NbdDescriptor.OPTION_HEADER_BYTES);
            onOption(ctx, option, in.readSlice((int) length));
        }
    }

    private void onOption(ChannelHandlerContext ctx, int option, ByteBuf data) {
        switch (option) {
            case NbdDescriptor.OPT_EXPORT_NAME -> onExportName(ctx, data);
            case NbdDescriptor.OPT_ABORT -> {
                done = true;
                ctx.writeAndFlush(replyBuffer(ctx, option, NbdDescriptor.REP_ACK, 0))
                    .addListener(ChannelFutureListener.CLOSE);
            }
            case NbdDescriptor.OPT_LIST -> onList(ctx, data);
            case NbdDescriptor.OPT_INFO, NbdDescriptor.OPT_GO -> onInfoOrGo(ctx, option, data);
            case NbdDescriptor.OPT_STRUCTURED_REPLY -> {
                if (data.isReadable()) {
                    reply(ctx, option, NbdDescriptor.REP_ERR_INVALID, "STRUCTURED_REPLY takes no data");
                } else {
                    structured = true;
                    reply(ctx, option, NbdDescriptor.REP_ACK, null);
                }
            }
            // No TLS code at all: ERR_UNSUP (the option is not implemented), not ERR_POLICY (a configurable refusal).
            case NbdDescriptor.OPT_STARTTLS -> reply(ctx, option, NbdDescriptor.REP_ERR_UNSUP,
                "TLS is not supported by this server");
            case NbdDescriptor.OPT_LIST_META_CONTEXT, NbdDescriptor.OPT_SET_META_CONTEXT -> reply(ctx, option,
                NbdDescriptor.REP_ERR_UNSUP, "no metadata contexts are supported");
            default -> reply(ctx, option, NbdDescriptor.REP_ERR_UNSUP, "option " + option + " is not supported");
        }
    }

    private void onExportName(ChannelHandlerContext ctx, ByteBuf data) {
        Optional<NbdExport> found = exports.attach(data.toString(StandardCharsets.UTF_8));
        if (found.isEmpty()) {
            done = true;
            ctx.close();
            return;
        }
        NbdExport export = found.get();
        ByteBuf answer = ctx.alloc().buffer(10 + (noZeroes ? 0 : NbdDescriptor.EXPORT_NAME_PADDING_BYTES));
        answer.writeLong(export.backend().sizeBytes()).writeShort(NbdDescriptor.transmissionFlags(export));
        if (!noZeroes) {
            answer.writeZero(NbdDescriptor.EXPORT_NAME_PADDING_BYTES);
        }
        ctx.writeAndFlush(answer, ctx.voidPromise());
        startTransmission(ctx, export);
    }

    private void onList(ChannelHandlerContext ctx, ByteBuf data) {
        if (data.isReadable()) {
            reply(ctx, NbdDescriptor.OPT_LIST, NbdDescriptor.REP_ERR_INVALID, "LIST takes no data");
            return;
        }
        for (NbdExport export : exports.list()) {
            byte[] name = export.name().getBytes(StandardCharsets.UTF_8);
            byte[] description = clip(export.description().getBytes(StandardCharsets.UTF_8));
            ByteBuf server = replyBuffer(ctx, NbdDescriptor.OPT_LIST, NbdDescriptor.REP_SERVER,
                4 + name.length + description.length);
            server.writeInt(name.length).writeBytes(name).writeBytes(description);
            ctx.write(server, ctx.voidPromise());
        }
        reply(ctx, NbdDescriptor.OPT_LIST, NbdDescriptor.REP_ACK, null);
    }

    private void onInfoOrGo(ChannelHandlerContext ctx, int option, ByteBuf data) {
        if (data.readableBytes() < 6) {
            reply(ctx, option, NbdDescriptor.REP_ERR_INVALID, "INFO/GO data shorter than 6 bytes");
            return;
        }
        long nameBytes = data.readUnsignedInt();
        if (nameBytes > data.readableBytes() - 2) {
            reply(ctx, option, NbdDescriptor.REP_ERR_INVALID, "export name longer than the option");
            return;
        }
        String name = data.readCharSequence((int) nameBytes, StandardCharsets.UTF_8).toString();
        int requests = data.readUnsignedShort();
        if (data.readableBytes() != requests * 2) {
            reply(ctx, option, NbdDescriptor.REP_ERR_INVALID, "information request count does not match length");
            return;
        }
        boolean wantName = false;
        boolean wantDescription = false;
        for (int i = 0; i < requests; i++) {
            int info = data.readUnsignedShort();
            wantName |= info == NbdDescriptor.INFO_NAME;
            wantDescription |= info == NbdDescriptor.INFO_DESCRIPTION;
        }
        Optional<NbdExport> found = option == NbdDescriptor.OPT_GO ? exports.attach(name) : exports.find(name);
        if (found.isEmpty()) {
            reply(ctx, option, NbdDescriptor.REP_ERR_UNKNOWN, exports.whyNot(name));
            return;
        }
        NbdExport export = found.get();
        ByteBuf info = replyBuffer(ctx, option, NbdDescriptor.REP_INFO, 12);
        info.writeShort(NbdDescriptor.INFO_EXPORT).writeLong(export.backend().sizeBytes())
            .writeShort(NbdDescriptor.transmissionFlags(export));
        ctx.write(info, ctx.voidPromise());
        if (wantName) {
            writeStringInfo(ctx, option, NbdDescriptor.INFO_NAME, export.name());
        }
        if (wantDescription) {
            writeStringInfo(ctx, option, NbdDescriptor.INFO_DESCRIPTION, export.description());
        }
        ByteBuf blockSize = replyBuffer(ctx, option, NbdDescriptor.REP_INFO, 14);
        blockSize.writeShort(NbdDescriptor.INFO_BLOCK_SIZE).writeInt(NbdDescriptor.MIN_BLOCK_BYTES)
            .writeInt(NbdDescriptor.PREFERRED_BLOCK_BYTES).writeInt(NbdDescriptor.MAX_PAYLOAD_BYTES);
        ctx.write(blockSize, ctx.voidPromise());
        reply(ctx, option, NbdDescriptor.REP_ACK, null);
        if (option == NbdDescriptor.OPT_GO) {
            startTransmission(ctx, export);
        }
    }

    private void writeStringInfo(ChannelHandlerContext ctx, int option, int type, String text) {
        byte[] bytes = clip(text.getBytes(StandardCharsets.UTF_8));
        ByteBuf info = replyBuffer(ctx, option, NbdDescriptor.REP_INFO, 2 + bytes.length);
        info.writeShort(type).writeBytes(bytes);
        ctx.write(info, ctx.voidPromise());
    }

    private void startTransmission(ChannelHandlerContext ctx, NbdExport export) {
        done = true;
        ChannelPipeline pipeline = ctx.pipeline();
        if (transmissionLoop == null || transmissionLoop == ctx.channel().eventLoop()) {
            addTransmission(pipeline, structured, export);
            pipeline.remove(this);
            return;
        }
        // Requests the client sent right after the reply wait for the move; nothing is read until then.
        Channel channel = ctx.channel();
        channel.config().setAutoRead(false);
        ByteBuf in = internalBuffer();
        ByteBuf rest = in.isReadable() ? in.readBytes(in.readableBytes()) : null;
        pipeline.remove(this);
        boolean structuredReplies = structured;
        ChannelMove.to(transmissionLoop, channel, rest, moved -> {
            addTransmission(moved.pipeline(), structuredReplies, export);
            return true;
        }, why -> {
            if (why != null) {
                LOG.log(System.Logger.Level.WARNING, "NBD: cannot move the connection from {0} to its export''s"
                    + " event loop: {1}", channel.remoteAddress(), why);
            }
        });
    }

    /** The transmission handlers, at the end of the pipeline (where this handler, the last one, stands). */
    private void addTransmission(ChannelPipeline pipeline, boolean structuredReplies, NbdExport export) {
        pipeline.addLast("nbd-reply-encoder", new NbdReplyEncoder(structuredReplies))
            .addLast("nbd-request-decoder", new NbdRequestDecoder())
            .addLast("nbd-transmission", transmission.create(export));
    }

    /** Sends one option reply, with {@code message} (clipped) as its data when not null, and flushes. */
    private static void reply(ChannelHandlerContext ctx, int option, int type, String message) {
        byte[] data = message == null ? new byte[0] : clip(message.getBytes(StandardCharsets.UTF_8));
        ByteBuf reply = replyBuffer(ctx, option, type, data.length);
        reply.writeBytes(data);
        ctx.writeAndFlush(reply, ctx.voidPromise());
    }

    private static ByteBuf replyBuffer(ChannelHandlerContext ctx, int option, int type, int dataBytes) {
        ByteBuf reply = ctx.alloc().buffer(20 + dataBytes);
        reply.writeLong(NbdDescriptor.OPTION_REPLY_MAGIC).writeInt(option).writeInt(type).writeInt(dataBytes);
        return reply;
    }

    private static byte[] clip(byte[] text) {
        return text.length <= NbdDescriptor.MAX_STRING_BYTES ? text
            : java.util.Arrays.copyOf(text, NbdDescriptor.MAX_STRING_BYTES);
    }

    private void closeNow(ChannelHandlerContext ctx, ByteBuf in) {
        done = true;
        in.skipBytes(in.readableBytes());
        ctx.close();
    }
}

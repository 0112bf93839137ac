package io.replicator.net.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Turns {@link PeerMessage}s into frames. Headers go into a small pooled buffer; a data payload or bitmap chunk
 * follows as its own buffer (a second write, no copy). With {@link Compression#LZ4} a data payload is replaced by its
 * compressed form when that is at most 7/8 of its size, else it is sent raw. With a {@link DigestKind} other than
 * NONE every data frame carries the digest of its uncompressed payload. Holds per-connection scratch state: not
 * {@code @Sharable}.
 */
public final class MessageEncoder extends MessageToMessageEncoder<PeerMessage> {
    private final Compression compression;
    private final PayloadDigest digest;
    private final DataHeaderFlyweight dataHeader = new DataHeaderFlyweight();
    private final LZ4Compressor compressor;
    /** SYNC body before the digest: u8 kind, u8 0, u16 digest length, u32 size, u64 sector, u64 block id. */
    static final int SYNC_FIXED_BYTES = 24;

    public MessageEncoder(Compression compression, DigestKind digest) {
        super(PeerMessage.class);
        this.compression = compression;
        this.digest = new PayloadDigest(digest);
        this.compressor = compression == Compression.LZ4 ? LZ4Factory.fastestInstance().fastCompressor() : null;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, PeerMessage msg, List<Object> out) {
        if (msg instanceof DataFrame data) {
            encodeData(ctx, data, out);
            return;
        }
        MessageType type = msg.type();
        ByteBuf frame = ctx.alloc().ioBuffer(FrameDescriptor.HEADER_BYTES + 64);
        FrameDescriptor.writeHeader(frame, type, msg.volume(), 0, 0);
        ByteBuf trailer = null;
        switch (type) {
            case BARRIER -> frame.writeInt(((PeerMessage.Barrier) msg).epoch());
            case BARRIER_ACK -> {
                PeerMessage.BarrierAck ack = (PeerMessage.BarrierAck) msg;
                frame.writeInt(ack.epoch()).writeInt(ack.setSize());
            }
            case RECV_ACK -> {
                PeerMessage.RecvAck ack = (PeerMessage.RecvAck) msg;
                writeAck(frame, ack.sector(), ack.blockId(), ack.sizeBytes(), ack.sequence());
            }
            case WRITE_ACK -> {
                PeerMessage.WriteAck ack = (PeerMessage.WriteAck) msg;
                writeAck(frame, ack.sector(), ack.blockId(), ack.sizeBytes(), ack.sequence());
            }
            case NEG_ACK -> {
                PeerMessage.NegAck ack = (PeerMessage.NegAck) msg;
                writeAck(frame, ack.sector(), ack.blockId(), ack.sizeBytes(), ack.sequence());
            }
            case PING, PING_ACK, DISCONNECT -> {
            }
            case OUT_OF_SYNC -> {
                PeerMessage.OutOfSync oos = (PeerMessage.OutOfSync) msg;
                frame.writeLong(oos.sector()).writeInt(oos.sizeBytes());
            }
            case SYNC, SYNC_REPLY -> {
                PeerMessage.Sync sync = (PeerMessage.Sync) msg;
                byte[] digest = sync.digest();
                frame.ensureWritable(SYNC_FIXED_BYTES + digest.length);
                frame.writeByte(sync.kind()).writeByte(0).writeShort(digest.length).writeInt(sync.sizeBytes())
                    .writeLong(sync.sector()).writeLong(sync.blockId()).writeBytes(digest);
            }
            case BITMAP_CHUNK -> {
                PeerMessage.BitmapChunk chunk = (PeerMessage.BitmapChunk) msg;
                frame.writeLong(chunk.fromBit()).writeByte(chunk.last() ? 1 : 0);
                trailer = chunk.rle().retain();
            }
            case UUIDS -> writeUuids(frame, (PeerMessage.Uuids) msg);
            case SIZES -> {
                PeerMessage.Sizes sizes = (PeerMessage.Sizes) msg;
                frame.writeLong(sizes.backingBytes()).writeLong(sizes.currentBytes()).writeInt(sizes.maxBioBytes());
            }
            case STATE -> {
                PeerMessage.State state = (PeerMessage.State) msg;
                frame.writeByte(state.role()).writeByte(state.disk()).writeShort(0).writeInt(state.flags())
                    .writeLong(state.lastWrite());
            }
            default -> throw new IllegalStateException("not a control message: " + type);
        }
        int trailerBytes = trailer == null ? 0 : trailer.readableBytes();
        FrameDescriptor.payloadLength(frame, 0, frame.readableBytes() - FrameDescriptor.HEADER_BYTES + trailerBytes);
        out.add(frame);
        if (trailer != null) {
            out.add(trailer);
        }
    }

    private static void writeAck(ByteBuf frame, long sector, long blockId, int sizeBytes, int sequence) {
        frame.writeLong(sector).writeLong(blockId).writeInt(sizeBytes).writeInt(sequence);
    }

    private static void writeUuids(ByteBuf frame, PeerMessage.Uuids uuids) {
        long[] bitmaps = uuids.bitmaps();
        long[] history = uuids.history();
        frame.ensureWritable(18 + 8 * (bitmaps.length + history.length));
        frame.writeLong(uuids.current()).writeLong(uuids.flags());
        frame.writeByte(bitmaps.length).writeByte(history.length);
        for (long uuid : bitmaps) {
            frame.writeLong(uuid);
        }
        for (long uuid : history) {
            frame.writeLong(uuid);
        }
    }

    private void encodeData(ChannelHandlerContext ctx, DataFrame data, List<Object> out) {
        ByteBuf payload = data.payload();
        int headerBytes = DataHeaderFlyweight.FIXED_BYTES + digest.kind().lengthBytes();
        ByteBuf frame = ctx.alloc().ioBuffer(FrameDescriptor.HEADER_BYTES + headerBytes);
        FrameDescriptor.writeHeader(frame, data.type(), data.volume(), 0, 0);
        dataHeader.wrap(frame, FrameDescriptor.HEADER_BYTES);
        frame.writerIndex(FrameDescriptor.HEADER_BYTES + DataHeaderFlyweight.FIXED_BYTES);
        dataHeader.sector(data.sector()).blockId(data.blockId()).sequence(data.sequence()).dpFlags(data.dpFlags())
            .sizeBytes(data.sizeBytes()).digest(digest.kind());
        digest.write(payload, frame);
        ByteBuf body = compression == Compression.LZ4 && payload.isReadable() ? compress(ctx, payload) : null;
        if (body != null) {
            frame.setShort(FrameDescriptor.FLAGS_OFFSET, FrameDescriptor.FLAG_LZ4);
        } else {
            body = payload.retain();
        }
        FrameDescriptor.payloadLength(frame, 0, headerBytes + body.readableBytes());
        out.add(frame);
        out.add(body);
    }

    /** The compressed payload, or {@code null} if it does not shrink to 7/8 of the original. */
    private ByteBuf compress(ChannelHandlerContext ctx, ByteBuf payload) {
        int length = payload.readableBytes();
        int limit = length - length / 8;
        ByteBuf compressed = ctx.alloc().directBuffer(compressor.maxCompressedLength(length));
        try {
            ByteBuffer src = payload.nioBuffer();
            ByteBuffer dst = compressed.nioBuffer(0, compressed.capacity());
            int n = compressor.compress(src, src.position(), length, dst, dst.position(), dst.remaining());
            if (n > limit) {
                compressed.release();
                return null;
            }
            compressed.writerIndex(n);
            return compressed;
        } catch (RuntimeException e) {
            compressed.release();
            throw e;
        }
    }
}

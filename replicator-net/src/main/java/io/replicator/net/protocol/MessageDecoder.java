package io.replicator.net.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Turns frames from {@link FrameDecoder} into {@link PeerMessage}s. Data payloads are retained slices of the frame,
 * or pooled buffers when the frame was LZ4-compressed; bitmap chunks are retained slices. A frame that does not
 * parse exactly (unknown type, wrong length, flags on a control frame, a digest kind other than the agreed one,
 * bad LZ4 data, a size that does not match) throws {@link CorruptedFrameException}; a payload that fails its digest
 * throws {@link IntegrityException}. Either way the connection should be closed. Not {@code @Sharable}.
 */
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    private static final int ACK_BYTES = 24;

    private final PayloadDigest digest;
    private final DataHeaderFlyweight dataHeader = new DataHeaderFlyweight();
    private final LZ4SafeDecompressor decompressor = LZ4Factory.fastestInstance().safeDecompressor();

    /** A decoder that requires every data frame to carry a digest of kind {@code digest}. */
    public MessageDecoder(DigestKind digest) {
        super(ByteBuf.class);
        this.digest = new PayloadDigest(digest);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int start = frame.readerIndex();
        int code = frame.getUnsignedShort(start + FrameDescriptor.TYPE_OFFSET);
        MessageType type = MessageType.of(code);
        if (type == null) {
            throw new CorruptedFrameException("unknown message type 0x" + Integer.toHexString(code));
        }
        int volume = frame.getUnsignedShort(start + FrameDescriptor.VOLUME_OFFSET);
        int flags = frame.getUnsignedShort(start + FrameDescriptor.FLAGS_OFFSET);
        int body = start + FrameDescriptor.HEADER_BYTES;
        int bodyBytes = frame.readableBytes() - FrameDescriptor.HEADER_BYTES;
        if (type.carriesData()) {
            out.add(decodeData(ctx, type, volume, flags, frame, body, bodyBytes));
            return;
        }
        if (flags != 0) {
            throw new CorruptedFrameException(type + " frame with flags 0x" + Integer.toHexString(flags));
        }
        out.add(decodeControl(type, volume, frame, body, bodyBytes));
    }

    private static PeerMessage decodeControl(MessageType type, int volume, ByteBuf f, int at, int bodyBytes) {
        switch (type) {
            case BARRIER:
                expect(type, bodyBytes, 4);
                return new PeerMessage.Barrier(f.getInt(at));
            case BARRIER_ACK:
                expect(type, bodyBytes, 8);
                return new PeerMessage.BarrierAck(f.getInt(at), f.getInt(at + 4));
            case RECV_ACK:
                expect(type, bodyBytes, ACK_BYTES);
                return new PeerMessage.RecvAck(volume, f.getLong(at), f.getLong(at + 8), f.getInt(at + 16),
                    f.getInt(at + 20));
            case WRITE_ACK:
                expect(type, bodyBytes, ACK_BYTES);
                return new PeerMessage.WriteAck(volume, f.getLong(at), f.getLong(at + 8), f.getInt(at + 16),
                    f.getInt(at + 20));
            case NEG_ACK:
                expect(type, bodyBytes, ACK_BYTES);
                return new PeerMessage.NegAck(volume, f.getLong(at), f.getLong(at + 8), f.getInt(at + 16),
                    f.getInt(at + 20));
            case PING:
                expect(type, bodyBytes, 0);
                return new PeerMessage.Ping();
            case PING_ACK:
                expect(type, bodyBytes, 0);
                return new PeerMessage.PingAck();
            case DISCONNECT:
                expect(type, bodyBytes, 0);
                return new PeerMessage.Disconnect();
            case OUT_OF_SYNC:
                expect(type, bodyBytes, 12);
                return new PeerMessage.OutOfSync(volume, f.getLong(at), f.getInt(at + 8));
            case SYNC:
            case SYNC_REPLY:
                return decodeSync(type, volume, f, at, bodyBytes);
            case BITMAP_CHUNK:
                return decodeBitmapChunk(volume, f, at, bodyBytes);
            case UUIDS:
                return decodeUuids(volume, f, at, bodyBytes);
            case SIZES:
                expect(type, bodyBytes, 20);
                return new PeerMessage.Sizes(volume, f.getLong(at), f.getLong(at + 8), f.getInt(at + 16));
            case STATE:
                expect(type, bodyBytes, 16);
                if (f.getShort(at + 2) != 0) {
                    throw new CorruptedFrameException("STATE padding is not 0");
                }
                return new PeerMessage.State(volume, f.getUnsignedByte(at), f.getUnsignedByte(at + 1),
                    f.getInt(at + 4), f.getLong(at + 8));
            default:
                throw new IllegalStateException("not a control message: " + type);
        }
    }

    private static PeerMessage decodeSync(MessageType type, int volume, ByteBuf f, int at, int bodyBytes) {
        if (bodyBytes < MessageEncoder.SYNC_FIXED_BYTES) {
            throw new CorruptedFrameException(type + " of " + bodyBytes + " bytes");
        }
        int digestBytes = f.getUnsignedShort(at + 2);
        if (f.getByte(at + 1) != 0 || digestBytes > PeerMessage.Sync.MAX_DIGEST_BYTES
            || bodyBytes != MessageEncoder.SYNC_FIXED_BYTES + digestBytes) {
            throw new CorruptedFrameException(type + " of " + bodyBytes + " bytes with a " + digestBytes
                + "-byte digest");
        }
        byte[] digest = new byte[digestBytes];
        f.getBytes(at + MessageEncoder.SYNC_FIXED_BYTES, digest);
        return new PeerMessage.Sync(type, volume, f.getUnsignedByte(at), f.getLong(at + 8), f.getInt(at + 4),
            f.getLong(at + 16), digest);
    }

    private static PeerMessage decodeBitmapChunk(int volume, ByteBuf f, int at, int bodyBytes) {
        if (bodyBytes < 9 || bodyBytes - 9 > PeerMessage.BitmapChunk.MAX_RLE_BYTES) {
            throw new CorruptedFrameException("BITMAP_CHUNK of " + bodyBytes + " bytes");
        }
        int last = f.getUnsignedByte(at + 8);
        if (last > 1) {
            throw new CorruptedFrameException("BITMAP_CHUNK last flag " + last);
        }
        return new PeerMessage.BitmapChunk(volume, f.getLong(at), f.retainedSlice(at + 9, bodyBytes - 9), last == 1);
    }

    private static PeerMessage decodeUuids(int volume, ByteBuf f, int at, int bodyBytes) {
        if (bodyBytes < 18) {
            throw new CorruptedFrameException("UUIDS of " + bodyBytes + " bytes");
        }
        int bitmapCount = f.getUnsignedByte(at + 16);
        int historyCount = f.getUnsignedByte(at + 17);
        if (bitmapCount > PeerMessage.MAX_UUIDS || historyCount > PeerMessage.MAX_UUIDS) {
            throw new CorruptedFrameException("UUIDS with " + bitmapCount + " + " + historyCount + " entries");
        }
        expect(MessageType.UUIDS, bodyBytes, 18 + 8 * (bitmapCount + historyCount));
        long[] bitmaps = new long[bitmapCount];
        long[] history = new long[historyCount];
        int index = at + 18;
        for (int i = 0; i < bitmapCount; i++, index += 8) {
            bitmaps[i] = f.getLong(index);
        }
        for (int i = 0; i < historyCount; i++, index += 8) {
            history[i] = f.getLong(index);
        }
        return new PeerMessage.Uuids(volume, f.getLong(at), bitmaps, history, f.getLong(at + 8));
    }

    private static void expect(MessageType type, int bodyBytes, int expected) {
        if (bodyBytes != expected) {
            throw new CorruptedFrameException(type + " body of " + bodyBytes + " bytes, expected " + expected);
        }
    }

    private DataFrame decodeData(ChannelHandlerContext ctx, MessageType type, int volume, int flags, ByteBuf frame,
                                 int body, int bodyBytes) {
        if (bodyBytes < DataHeaderFlyweight.FIXED_BYTES) {
            throw new CorruptedFrameException(type + " body of " + bodyBytes + " bytes");
        }
        DataHeaderFlyweight header = dataHeader.wrap(frame, body);
        DigestKind kind = digest.kind();
        if (header.digestKind() != kind.code() || header.digestLength() != kind.lengthBytes()) {
            throw new CorruptedFrameException(type + " digest kind " + header.digestKind() + " length "
                + header.digestLength() + ", expected " + kind);
        }
        int headerBytes = header.headerBytes();
        int wireBytes = bodyBytes - headerBytes;
        if (wireBytes < 0) {
            throw new CorruptedFrameException(type + " body of " + bodyBytes + " bytes, header alone is " + headerBytes);
        }
        long sizeBytes = header.sizeBytes();
        int dpFlags = header.dpFlags();
        boolean noData = (dpFlags & DataHeaderFlyweight.DP_NO_DATA) != 0;
        int dataIndex = body + headerBytes;
        ByteBuf payload;
        if (noData) {
            if (wireBytes != 0 || flags != 0) {
                throw new CorruptedFrameException(type + " discard/zeroes frame carries data");
            }
            payload = frame.retainedSlice(dataIndex, 0);
        } else if (sizeBytes > FrameDescriptor.MAX_DATA_BYTES) {
            throw new CorruptedFrameException(type + " declares " + sizeBytes + " bytes");
        } else if ((flags & FrameDescriptor.FLAG_LZ4) != 0) {
            payload = decompress(ctx, type, frame, dataIndex, wireBytes, (int) sizeBytes);
        } else if (wireBytes != sizeBytes) {
            throw new CorruptedFrameException(type + " declares " + sizeBytes + " bytes, carries " + wireBytes);
        } else {
            payload = frame.retainedSlice(dataIndex, wireBytes);
        }
        long sector = header.sector();
        long blockId = header.blockId();
        if (!digest.matches(payload, frame, header.digestIndex())) {
            payload.release();
            throw new IntegrityException(volume, sector, blockId, kind);
        }
        return new DataFrame(type, volume, sector, blockId, header.sequence(), dpFlags, (int) sizeBytes, payload);
    }

    private ByteBuf decompress(ChannelHandlerContext ctx, MessageType type, ByteBuf frame, int index, int wireBytes,
                               int sizeBytes) {
        if (wireBytes == 0 || sizeBytes == 0) {
            throw new CorruptedFrameException(type + " compressed frame of " + wireBytes + " -> " + sizeBytes);
        }
        ByteBuf payload = ctx.alloc().directBuffer(sizeBytes, sizeBytes);
        ByteBuf contiguous = null;
        try {
            if (frame.slice(index, wireBytes).nioBufferCount() != 1) {
                // spread over several socket reads: LZ4 wants one buffer, so gather into a pooled one
                contiguous = ctx.alloc().directBuffer(wireBytes, wireBytes);
                frame.getBytes(index, contiguous, wireBytes);
            }
            ByteBuffer src = contiguous == null ? frame.nioBuffer(index, wireBytes) : contiguous.nioBuffer();
            ByteBuffer dst = payload.nioBuffer(0, sizeBytes);
            int n = decompressor.decompress(src, src.position(), wireBytes, dst, dst.position(), sizeBytes);
            if (n != sizeBytes) {
                throw new CorruptedFrameException(type + " decompressed to " + n + " bytes, declared " + sizeBytes);
            }
            payload.writerIndex(sizeBytes);
            return payload;
        } catch (LZ4Exception e) {
            payload.release();
            throw new CorruptedFrameException(type + " bad LZ4 data: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        } finally {
            if (contiguous != null) {
                contiguous.release();
            }
        }
    }
}

package io.replicator.net.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * A data frame ({@link MessageType#DATA} or a {@link MessageType#RESYNC_DATA} reply): the write's header fields and
 * its payload, which the holder owns (one reference). The decoder's payload is a retained slice of the received
 * frame, or a pooled buffer if the frame was compressed; the encoder sends the payload without copying it. For
 * {@link DataHeaderFlyweight#DP_DISCARD} or {@link DataHeaderFlyweight#DP_ZEROES} the payload is empty and
 * {@link #sizeBytes()} is the extent length.
 */
public final class DataFrame implements PeerMessage, ReferenceCounted {
    private final MessageType type;
    private final int volume;
    private final long sector;
    private final long blockId;
    private final int sequence;
    private final int dpFlags;
    private final int sizeBytes;
    private final ByteBuf payload;

    /** A write of the payload's readable bytes; takes over the caller's reference to {@code payload}. */
    public DataFrame(MessageType type, int volume, long sector, long blockId, int sequence, int dpFlags,
                     ByteBuf payload) {
        this(type, volume, sector, blockId, sequence, dpFlags, payload.readableBytes(), payload);
    }

    /** As above, with an explicit size: it must equal the payload's length unless the frame is a discard/zeroes. */
    public DataFrame(MessageType type, int volume, long sector, long blockId, int sequence, int dpFlags,
                     int sizeBytes, ByteBuf payload) {
        if (!type.carriesData()) {
            throw new IllegalArgumentException(type + " is not a data frame type");
        }
        boolean noData = (dpFlags & DataHeaderFlyweight.DP_NO_DATA) != 0;
        if (noData ? payload.isReadable() : payload.readableBytes() != sizeBytes) {
            throw new IllegalArgumentException("size " + sizeBytes + " does not fit a payload of "
                + payload.readableBytes() + " bytes with dpFlags 0x" + Integer.toHexString(dpFlags));
        }
        if (payload.readableBytes() > FrameDescriptor.MAX_DATA_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.readableBytes() + " bytes exceeds "
                + FrameDescriptor.MAX_DATA_BYTES);
        }
        this.type = type;
        this.volume = FrameDescriptor.checkVolume(volume);
        this.sector = sector;
        this.blockId = blockId;
        this.sequence = sequence;
        this.dpFlags = dpFlags;
        this.sizeBytes = sizeBytes;
        this.payload = payload;
    }

    @Override
    public MessageType type() {
        return type;
    }

    @Override
    public int volume() {
        return volume;
    }

    public long sector() {
        return sector;
    }

    public long blockId() {
        return blockId;
    }

    public int sequence() {
        return sequence;
    }

    public int dpFlags() {
        return dpFlags;
    }

    /** Length of the write in bytes (unsigned for discard/zeroes extents). */
    public int sizeBytes() {
        return sizeBytes;
    }

    public ByteBuf payload() {
        return payload;
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public DataFrame retain() {
        payload.retain();
        return this;
    }

    @Override
    public DataFrame retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public DataFrame touch() {
        payload.touch();
        return this;
    }

    @Override
    public DataFrame touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    @Override
    public String toString() {
        return type + "[volume=" + volume + ", sector=" + sector + ", blockId=" + blockId + ", sequence=" + sequence
            + ", dpFlags=0x" + Integer.toHexString(dpFlags) + ", sizeBytes=" + Integer.toUnsignedString(sizeBytes)
            + "]";
    }
}

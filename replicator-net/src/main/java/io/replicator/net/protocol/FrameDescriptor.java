package io.replicator.net.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The layout of one replication frame: a 16-byte header followed by the payload. All integers are big-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     magic 0x52504C57 "RPLW"                   |  0
 * +-------------------------------+-------------------------------+
 * |             type              |            volume             |  4
 * +-------------------------------+-------------------------------+
 * |                        payload length                         |  8
 * +-------------------------------+-------------------------------+
 * |       flags (bit 0 = LZ4)     |         reserved (0)          | 12
 * +-------------------------------+-------------------------------+
 * |                     payload (length bytes)                   ...  16
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The payload is a message header (at most {@link #MAX_MESSAGE_HEADER_BYTES}) and, for data frames, up to
 * {@link #MAX_DATA_BYTES} of block data. Only data frames may set {@link #FLAG_LZ4}; every other flag bit and the
 * reserved field must be 0, so a receiver that finds them set knows the stream is corrupt or from a newer peer.
 */
public final class FrameDescriptor {
    /** "RPLW" in ASCII. */
    public static final int MAGIC = 0x52504C57;
    public static final int HEADER_BYTES = 16;
    public static final int MAGIC_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;
    public static final int VOLUME_OFFSET = 6;
    public static final int LENGTH_OFFSET = 8;
    public static final int FLAGS_OFFSET = 12;
    public static final int RESERVED_OFFSET = 14;

    /** The data part of the payload is LZ4 block-compressed. */
    public static final int FLAG_LZ4 = 1;
    public static final int KNOWN_FLAGS = FLAG_LZ4;

    /** Largest block data a data frame carries (1 MiB), as DRBD's max-bio-size: the core's largest request. */
    public static final int MAX_DATA_BYTES = io.replicator.core.replication.WriteRequest.MAX_DATA_BYTES;
    /** Room for the message header in front of the data. */
    public static final int MAX_MESSAGE_HEADER_BYTES = 256;
    /** Largest payload length a receiver accepts. */
    public static final int MAX_PAYLOAD_BYTES = MAX_DATA_BYTES + MAX_MESSAGE_HEADER_BYTES;
    public static final int MAX_FRAME_BYTES = HEADER_BYTES + MAX_PAYLOAD_BYTES;

    private FrameDescriptor() {
    }

    /** Writes a frame header; the payload length is fixed up later with {@link #payloadLength(ByteBuf, int, int)}. */
    static void writeHeader(ByteBuf out, MessageType type, int volume, int payloadLength, int flags) {
        out.writeInt(MAGIC);
        out.writeShort(type.code());
        out.writeShort(volume);
        out.writeInt(payloadLength);
        out.writeShort(flags);
        out.writeShort(0);
    }

    /** Sets the payload length of the frame whose header starts at {@code frameStart}. */
    static void payloadLength(ByteBuf frame, int frameStart, int payloadLength) {
        frame.setInt(frameStart + LENGTH_OFFSET, payloadLength);
    }

    /** Checks a volume number fits the 16-bit field. */
    static int checkVolume(int volume) {
        if (volume < 0 || volume > 0xFFFF) {
            throw new IllegalArgumentException("volume " + volume + " outside [0, 65535]");
        }
        return volume;
    }
}

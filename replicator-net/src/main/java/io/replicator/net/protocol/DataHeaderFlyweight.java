package io.replicator.net.protocol;

import io.netty.buffer.ByteBuf;
import io.replicator.core.replication.DpFlags;

/**
 * The message header of a data frame ({@link MessageType#DATA}, {@link MessageType#RESYNC_DATA}), read and written
 * in place over the frame's payload. Big-endian; the block data follows the digest.
 *
 * <pre>
 *  0               8               16      20      24      28  29  30
 * +---------------+---------------+-------+-------+-------+---+---+------------+------------
 * | sector        | block id      | seq   |dpFlags| size  |dk |dl | digest     | data ...
 * +---------------+---------------+-------+-------+-------+---+---+------------+------------
 *
 * sector   first 512-byte sector of the write
 * block id opaque cookie of the sender, echoed in the acks
 * seq      per-volume sequence number
 * dpFlags  {@link #DP_FUA} and friends
 * size     uncompressed data length in bytes; for DISCARD or ZEROES the extent length, with no data following
 * dk, dl   digest kind ({@link DigestKind} code) and digest length; the digest covers the uncompressed data
 * </pre>
 *
 * <p>The flyweight holds no state but the buffer and offset: {@link #wrap} it again for each frame.
 */
public final class DataHeaderFlyweight {
    public static final int SECTOR_OFFSET = 0;
    public static final int BLOCK_ID_OFFSET = 8;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int DP_FLAGS_OFFSET = 20;
    public static final int SIZE_OFFSET = 24;
    public static final int DIGEST_KIND_OFFSET = 28;
    public static final int DIGEST_LENGTH_OFFSET = 29;
    public static final int DIGEST_OFFSET = 30;
    /** Header length without the digest. */
    public static final int FIXED_BYTES = DIGEST_OFFSET;

    // The values are the core's (io.replicator.core.replication.DpFlags), which decides what they mean.
    /** The write may be completed by the peer before older ones (REQ_SYNC); informational. */
    public static final int DP_RW_SYNC = DpFlags.RW_SYNC;
    /** A resync write that may clear the bitmap bit. */
    public static final int DP_MAY_SET_IN_SYNC = DpFlags.MAY_SET_IN_SYNC;
    /** Force unit access: the peer writes through its cache. */
    public static final int DP_FUA = DpFlags.FUA;
    /** Pre-flush: the peer flushes its cache before the write. */
    public static final int DP_FLUSH = DpFlags.FLUSH;
    /** Discard (trim) {@code size} bytes; no data follows. */
    public static final int DP_DISCARD = DpFlags.DISCARD;
    /** Protocol B: the peer acks on receipt. */
    public static final int DP_SEND_RECEIVE_ACK = DpFlags.SEND_RECEIVE_ACK;
    /** Protocol C: the peer acks after its write. */
    public static final int DP_SEND_WRITE_ACK = DpFlags.SEND_WRITE_ACK;
    /** Write {@code size} bytes of zeroes; no data follows. */
    public static final int DP_ZEROES = DpFlags.ZEROES;
    /** The flags that stand for an extent without data. */
    public static final int DP_NO_DATA = DP_DISCARD | DP_ZEROES;

    private ByteBuf buffer;
    private int offset;

    public DataHeaderFlyweight wrap(ByteBuf buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public long sector() {
        return buffer.getLong(offset + SECTOR_OFFSET);
    }

    public DataHeaderFlyweight sector(long sector) {
        buffer.setLong(offset + SECTOR_OFFSET, sector);
        return this;
    }

    public long blockId() {
        return buffer.getLong(offset + BLOCK_ID_OFFSET);
    }

    public DataHeaderFlyweight blockId(long blockId) {
        buffer.setLong(offset + BLOCK_ID_OFFSET, blockId);
        return this;
    }

    public int sequence() {
        return buffer.getInt(offset + SEQUENCE_OFFSET);
    }

    public DataHeaderFlyweight sequence(int sequence) {
        buffer.setInt(offset + SEQUENCE_OFFSET, sequence);
        return this;
    }

    public int dpFlags() {
        return buffer.getInt(offset + DP_FLAGS_OFFSET);
    }

    public DataHeaderFlyweight dpFlags(int dpFlags) {
        buffer.setInt(offset + DP_FLAGS_OFFSET, dpFlags);
        return this;
    }

    /** Uncompressed data length, unsigned. */
    public long sizeBytes() {
        return buffer.getUnsignedInt(offset + SIZE_OFFSET);
    }

    public DataHeaderFlyweight sizeBytes(int sizeBytes) {
        buffer.setInt(offset + SIZE_OFFSET, sizeBytes);
        return this;
    }

    public int digestKind() {
        return buffer.getUnsignedByte(offset + DIGEST_KIND_OFFSET);
    }

    public int digestLength() {
        return buffer.getUnsignedByte(offset + DIGEST_LENGTH_OFFSET);
    }

    public DataHeaderFlyweight digest(DigestKind kind) {
        buffer.setByte(offset + DIGEST_KIND_OFFSET, kind.code());
        buffer.setByte(offset + DIGEST_LENGTH_OFFSET, kind.lengthBytes());
        return this;
    }

    /** Absolute index of the first digest byte in the wrapped buffer. */
    public int digestIndex() {
        return offset + DIGEST_OFFSET;
    }

    /** Header length including the digest. */
    public int headerBytes() {
        return FIXED_BYTES + digestLength();
    }
}

package io.replicator.core.activitylog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * On-disk format of one activity-log transaction, version 1: one 4 KiB block of the ring, little-endian.
 *
 * <pre>
 *  offset size field
 *     0    4  magic           0x69cb_65a2 (DRBD's AL magic)
 *     4    4  version         1
 *     8    8  transaction number, consecutive; ring block = number mod blocks in the ring
 *    16    2  update count    0..64
 *    18    2  context count   0..887
 *    20    4  context start   first slot that the context covers
 *    24    4  al-extents      number of slots in the hot set
 *    28    4  reserved (0)
 *    32  512  64 updates      { u32 slot, u32 extent } — this transaction's changes
 *   544 3548  887 context     u32 extent of slots [start, start + count), after the updates; 0xFFFF_FFFF = empty
 *  4092    4  CRC32C of bytes [0, 4092)
 * </pre>
 *
 * <p>The context is a rolling window over the slot table, so the newest {@code ceil(al-extents / 887)}
 * transactions rebuild the whole table; the ring must hold at least one more than that, so that a torn newest block
 * still leaves enough ({@link #maxAlExtents}).
 */
public final class AlTransactionDescriptor {
    /** Size of one transaction block. */
    public static final int TRANSACTION_BYTES = 4096;
    /** DRBD's activity-log magic. */
    public static final int MAGIC = 0x69cb_65a2;
    /** The format version. */
    public static final int VERSION = 1;
    /** Slot changes one transaction can carry. */
    public static final int MAX_UPDATES = 64;
    /** Slot-table entries one transaction's context carries. */
    public static final int MAX_CONTEXT = 887;
    /** The extent value of an empty slot. */
    public static final int EMPTY_EXTENT = -1;

    static final int NUMBER_OFFSET = 8;
    static final int UPDATE_COUNT_OFFSET = 16;
    static final int CONTEXT_COUNT_OFFSET = 18;
    static final int CONTEXT_START_OFFSET = 20;
    static final int AL_EXTENTS_OFFSET = 24;
    static final int UPDATES_OFFSET = 32;
    static final int CONTEXT_OFFSET = UPDATES_OFFSET + MAX_UPDATES * 8;
    static final int CRC_OFFSET = TRANSACTION_BYTES - 4;

    private AlTransactionDescriptor() {
    }

    /** The largest {@code al-extents} a ring of {@code ringBytes} supports. */
    public static int maxAlExtents(long ringBytes) {
        return (int) Math.min(65534, MAX_CONTEXT * (ringBytes / TRANSACTION_BYTES - 1));
    }

    /** A reusable little-endian block buffer. */
    static ByteBuffer newBlock() {
        return ByteBuffer.allocate(TRANSACTION_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Whether {@code block} holds a transaction whose magic, version and CRC check out. */
    static boolean isValid(ByteBuffer block) {
        return block.getInt(0) == MAGIC && block.getInt(4) == VERSION && block.getInt(CRC_OFFSET) == crc(block);
    }

    /** Stamps magic, version and the CRC over the rest of {@code block}. */
    static void seal(ByteBuffer block) {
        block.putInt(0, MAGIC).putInt(4, VERSION);
        block.putInt(CRC_OFFSET, crc(block));
    }

    private static int crc(ByteBuffer block) {
        CRC32C crc = new CRC32C();
        crc.update(block.duplicate().position(0).limit(CRC_OFFSET));
        return (int) crc.getValue();
    }
}

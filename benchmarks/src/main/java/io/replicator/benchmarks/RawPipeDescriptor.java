package io.replicator.benchmarks;

import java.nio.ByteBuffer;

/**
 * The raw pipe's wire format: one session header from sender to receiver, then the blocks back to back; the receiver
 * answers with one byte per block in ack mode, and one final byte once everything is written (and forced, if asked).
 *
 * <pre>
 *  0        8            12           20           24           28
 * +--------+------------+------------+------------+------------+
 * | MAGIC  | blockBytes | totalBytes | fsyncEvery | flags      |   flags: ACK (1)
 * +--------+------------+------------+------------+------------+
 * </pre>
 */
final class RawPipeDescriptor {
    static final long MAGIC = 0x5241575049504531L;
    static final int HEADER_BYTES = 28;
    static final int FLAG_ACK = 1;
    /** The byte the receiver sends per block (ack mode) and at the end. */
    static final byte ACK = 'A';
    static final byte DONE = 'D';

    private RawPipeDescriptor() {
    }

    /** A session's parameters as the header carries them. */
    record Session(int blockBytes, long totalBytes, int fsyncEvery, boolean ack) {
        long blocks() {
            return totalBytes / blockBytes;
        }

        ByteBuffer encode() {
            return ByteBuffer.allocate(HEADER_BYTES).putLong(MAGIC).putInt(blockBytes).putLong(totalBytes)
                .putInt(fsyncEvery).putInt(ack ? FLAG_ACK : 0).flip();
        }

        static Session decode(ByteBuffer header) {
            if (header.getLong() != MAGIC) {
                throw new IllegalStateException("not a raw pipe sender");
            }
            return new Session(header.getInt(), header.getLong(), header.getInt(), (header.getInt() & FLAG_ACK) != 0);
        }
    }
}

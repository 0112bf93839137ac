package io.replicator.core.replication;

/**
 * The flag bits a replicated write carries ({@code dp_flags} in DRBD, same values): what the receiver does with the
 * block and which acknowledgement it sends back. Defined here because the receiver's behaviour depends on them; the
 * wire codec writes them as they are.
 */
public final class DpFlags {
    /** The writer waits for this write (no effect on the receiver). */
    public static final int RW_SYNC = 2;
    /** A resync write may set the block in sync (no effect on application writes). */
    public static final int MAY_SET_IN_SYNC = 4;
    /** The write must be durable before it is acknowledged. */
    public static final int FUA = 16;
    /** Flush the disk before the write. */
    public static final int FLUSH = 32;
    /** Discard the range (no payload). */
    public static final int DISCARD = 64;
    /** Protocol B: acknowledge receipt. */
    public static final int SEND_RECEIVE_ACK = 128;
    /** Protocol C: acknowledge once written. */
    public static final int SEND_WRITE_ACK = 256;
    /** Write zeros over the range (no payload). */
    public static final int ZEROES = 1024;
    /** Either kind of write that carries no payload. */
    public static final int NO_DATA = DISCARD | ZEROES;

    private DpFlags() {
    }

    /** The flags {@code request} is sent with to a peer of {@code protocol}. */
    static int of(WriteRequest request, io.replicator.core.config.Protocol protocol) {
        int flags = switch (request.kind()) {
            case DATA -> 0;
            case DISCARD -> DISCARD;
            case ZEROES -> ZEROES;
        };
        if (request.fua()) {
            flags |= FUA;
        }
        return flags | switch (protocol) {
            case A -> 0;
            case B -> SEND_RECEIVE_ACK;
            case C -> SEND_WRITE_ACK;
        };
    }
}

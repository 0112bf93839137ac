package io.replicator.net.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

/**
 * One decoded transmission request. A WRITE holds its payload (a retained slice of the inbound buffer); every other
 * request holds an empty buffer. Whoever takes the request from the pipeline releases it exactly once.
 *
 * <p>{@link #oversized()} marks a WRITE whose payload exceeded the limit: the decoder skipped the payload, and the
 * request must be answered with EINVAL.
 */
final class NbdRequest extends DefaultByteBufHolder {
    private final int flags;
    private final int type;
    private final long cookie;
    private final long offset;
    private final long length;
    private final boolean oversized;

    NbdRequest(int flags, int type, long cookie, long offset, long length, ByteBuf payload, boolean oversized) {
        super(payload);
        this.flags = flags;
        this.type = type;
        this.cookie = cookie;
        this.offset = offset;
        this.length = length;
        this.oversized = oversized;
    }

    NbdRequest(int flags, int type, long cookie, long offset, long length) {
        this(flags, type, cookie, offset, length, Unpooled.EMPTY_BUFFER, false);
    }

    int flags() {
        return flags;
    }

    int type() {
        return type;
    }

    long cookie() {
        return cookie;
    }

    /** The offset as sent: an unsigned 64-bit value, negative here when it is 2^63 or more. */
    long offset() {
        return offset;
    }

    /** The length as sent, an unsigned 32-bit value. */
    long length() {
        return length;
    }

    boolean oversized() {
        return oversized;
    }

    @Override
    public String toString() {
        return "NbdRequest[type=" + type + ", flags=" + flags + ", cookie=" + cookie + ", offset=" + offset
            + ", length=" + length + (oversized ? ", oversized" : "") + "]";
    }
}

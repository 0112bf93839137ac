package io.replicator.net.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

/**
 * The answer to one request: an error (0 for success) and, for a successful READ, the data. The reply owns the
 * data buffer; {@link NbdReplyEncoder} hands it on to the socket without copying it.
 */
final class NbdReply extends DefaultByteBufHolder {
    private final long cookie;
    private final long offset;
    private final int error;
    private final String message;

    private NbdReply(long cookie, long offset, int error, String message, ByteBuf data) {
        super(data);
        this.cookie = cookie;
        this.offset = offset;
        this.error = error;
        this.message = message;
    }

    /** A successful READ of the data at {@code offset}. */
    static NbdReply data(long cookie, long offset, ByteBuf data) {
        return new NbdReply(cookie, offset, 0, "", data);
    }

    /** A success without data. */
    static NbdReply done(long cookie) {
        return new NbdReply(cookie, 0, 0, "", Unpooled.EMPTY_BUFFER);
    }

    /** A failure with the NBD error {@code error} (never 0) and a message for structured replies. */
    static NbdReply error(long cookie, int error, String message) {
        return new NbdReply(cookie, 0, error, message == null ? "" : message, Unpooled.EMPTY_BUFFER);
    }

    long cookie() {
        return cookie;
    }

    long offset() {
        return offset;
    }

    int error() {
        return error;
    }

    String message() {
        return message;
    }

    boolean hasData() {
        return error == 0 && content().isReadable();
    }
}

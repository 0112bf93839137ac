package io.replicator.core.replication;

import io.netty.buffer.ByteBuf;

import java.io.IOException;

/**
 * The Secondary's side of one connection: applies the Primary's writes strictly in the order they arrive and answers
 * them. Writes are applied one after the other, never two at once, which also gives DRBD's drain: when a
 * barrier arrives every write of its epoch is done, so with {@code disk-flushes yes} (the default) the volumes are
 * flushed and only then is the barrier acknowledged — so no write of a later epoch reaches the disk before the
 * earlier epoch is stable, and a write issued after another completed on the Primary (always a later epoch) is never
 * held here without it. With {@code disk-flushes no} the barrier ack only means "drained".
 *
 * <p>Acks follow the write's flags: a receive ack before applying ({@link DpFlags#SEND_RECEIVE_ACK}, protocol B), a
 * write ack after ({@link DpFlags#SEND_WRITE_ACK}, protocol C), a negative ack if the write failed. Not thread-safe:
 * one thread at a time calls it, in stream order (the session hands it between its event loop and its receive thread
 * with a happens-before edge).
 */
public final class ReplicaReceiver {
    private final ReplicaTarget target;
    private final ReplicaReplies replies;
    private final boolean diskFlushes;
    private int epochWrites;
    private long writes;
    /**
     * A flush (FLUSH or FUA) of this epoch that failed. Linux reports a write-back error to one fsync only, and that
     * error may belong to earlier writes already acknowledged: so no barrier is acknowledged after it, and the
     * Primary keeps the epoch's writes until the session ends and marks them out of sync.
     */
    private IOException failedFlush;

    public ReplicaReceiver(ReplicaTarget target, ReplicaReplies replies, boolean diskFlushes) {
        this.target = target;
        this.replies = replies;
        this.diskFlushes = diskFlushes;
    }

    /**
     * Applies one replicated write (the caller keeps its reference to {@code payload}). A local failure is answered
     * with a negative ack and rethrown, for the caller to apply {@code on-io-error}.
     */
    public void write(int volume, long offset, int sizeBytes, int dpFlags, long id, int sequence, ByteBuf payload)
        throws IOException {
        epochWrites++;
        writes++;
        if ((dpFlags & DpFlags.SEND_RECEIVE_ACK) != 0) {
            replies.receiveAck(volume, offset, id, sizeBytes, sequence);
        }
        try {
            if ((dpFlags & DpFlags.FLUSH) != 0) {
                flush(volume);
            }
            if ((dpFlags & DpFlags.NO_DATA) != 0) {
                target.zero(volume, offset, Integer.toUnsignedLong(sizeBytes));
            } else {
                target.write(volume, offset, payload);
            }
            if ((dpFlags & DpFlags.FUA) != 0) {
                flush(volume);
            }
        } catch (IOException failure) {
            replies.negativeAck(volume, offset, id, sizeBytes, sequence);
            throw failure;
        }
        target.applied(id);
        if ((dpFlags & DpFlags.SEND_WRITE_ACK) != 0) {
            replies.writeAck(volume, offset, id, sizeBytes, sequence);
        }
    }

    private void flush(int volume) throws IOException {
        try {
            target.flush(volume);
        } catch (IOException failure) {
            failedFlush = failure;
            throw failure;
        }
    }

    /**
     * Closes epoch {@code epoch}: every write of it is applied; flush (with disk-flushes) and acknowledge. Throws
     * without acknowledging when a flush since the last barrier failed.
     */
    public void barrier(int epoch) throws IOException {
        if (failedFlush != null) {
            throw new IOException("a flush before the barrier of epoch " + epoch + " failed: "
                + failedFlush.getMessage(), failedFlush);
        }
        if (diskFlushes) {
            target.flushAll();
        }
        replies.barrierAck(epoch, epochWrites);
        epochWrites = 0;
    }

    /** The Primary is Ahead: the range was changed there and not sent. */
    public void outOfSync(int volume, long offset, long length) {
        target.markOutOfSync(volume, offset, length);
    }

    /** Writes applied since this receiver was made. */
    public long writes() {
        return writes;
    }
}

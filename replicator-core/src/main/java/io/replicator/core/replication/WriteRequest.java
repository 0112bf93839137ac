package io.replicator.core.replication;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One application write as the {@link TransferLog} tracks it, from submission until every peer has acknowledged its
 * epoch's barrier (or was lost). Its mutable fields are guarded by the log's lock.
 *
 * <p>Two masks of peer node ids drive it: {@code netPending} — peers whose protocol condition (hand-over, receipt,
 * write) has not been met yet; the request completes to the application once that is empty and the local write is
 * done — and {@code inLog} — peers whose barrier ack for this request's epoch is still outstanding; the request leaves
 * the log (and {@link #onRelease} runs, unpinning activity-log extents) once that is empty too.
 */
public final class WriteRequest {
    /** Largest data write one request carries (DRBD's max-bio-size); larger application writes are split. */
    public static final int MAX_DATA_BYTES = 1 << 20;
    /** Largest discard or zeroing one request carries (its size travels as an unsigned 32-bit number). */
    public static final long MAX_NO_DATA_BYTES = 1L << 30;

    private final long id;
    private final int volume;
    private final long offset;
    private final long length;
    private final WriteKind kind;
    private final boolean fua;
    private final ByteBuf payload;
    private final Runnable onRelease;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    final long submittedNanos;
    int epoch;
    int sequence;
    long netPending;
    long inLog;
    boolean localDone;
    IOException localError;
    boolean completed;
    boolean released;

    WriteRequest(long id, int volume, long offset, long length, WriteKind kind, boolean fua, ByteBuf payload,
                 Runnable onRelease, long submittedNanos) {
        this.id = id;
        this.volume = volume;
        this.offset = offset;
        this.length = length;
        this.kind = kind;
        this.fua = fua;
        this.payload = payload;
        this.onRelease = onRelease;
        this.submittedNanos = submittedNanos;
    }

    /** The cookie peers echo in their acks ({@code block_id}). */
    public long id() {
        return id;
    }

    public int volume() {
        return volume;
    }

    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }

    public WriteKind kind() {
        return kind;
    }

    public boolean fua() {
        return fua;
    }

    /**
     * The data, for {@link WriteKind#DATA}; empty otherwise. Valid only during {@link ReplicationOutbox#sendWrite}:
     * an outbox that keeps it must take its own reference ({@code retainedSlice()}).
     */
    public ByteBuf payload() {
        return payload;
    }

    /** The transfer-log epoch the write belongs to. */
    public int epoch() {
        return epoch;
    }

    /** The write's place in the order every peer applies writes in. */
    public int sequence() {
        return sequence;
    }

    /** Completes when the write is done locally and by the protocol at every replicating peer. */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    boolean overlaps(int otherVolume, long otherOffset, long otherLength) {
        return volume == otherVolume && offset < otherOffset + otherLength && otherOffset < offset + length;
    }

    void release() {
        if (!released) {
            released = true;
            onRelease.run();
        }
    }

    @Override
    public String toString() {
        return "WriteRequest[id=" + id + ", volume=" + volume + ", offset=" + offset + ", length=" + length + ", epoch="
            + epoch + "]";
    }
}

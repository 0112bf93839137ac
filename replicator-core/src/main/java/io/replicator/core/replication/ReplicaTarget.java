package io.replicator.core.replication;

import io.netty.buffer.ByteBuf;

import java.io.IOException;

/** The Secondary's volumes as the {@link ReplicaReceiver} writes them. Methods block until the I/O is done. */
public interface ReplicaTarget {
    /** Writes the readable bytes of {@code data} at {@code offset} of {@code volume}. */
    void write(int volume, long offset, ByteBuf data) throws IOException;

    /** Makes the range read back as zeros. */
    void zero(int volume, long offset, long length) throws IOException;

    /** Makes every completed write to {@code volume} durable. */
    void flush(int volume) throws IOException;

    /** Makes every completed write to every volume durable (a barrier). */
    void flushAll() throws IOException;

    /** The Primary reports the range changed without sending it (it is Ahead): record it out of sync. */
    void markOutOfSync(int volume, long offset, long length);

    /** The write with transfer-log id {@code id} was applied (after {@link #write} or {@link #zero} returned). */
    default void applied(long id) {
    }
}

package io.replicator.core.resource;

import java.util.concurrent.atomic.LongAdder;

/**
 * Payload bytes one volume exchanged with one peer since the resource was created here: replicated writes and resync
 * data, in either direction (the {@code sent} and {@code received} of {@code status --statistics}). They only grow;
 * a reconnect does not reset them. Writes that carry no payload (discard, zeroes) and control messages count nothing.
 *
 * <p>Added to by the write path, the resync source and the connection's receive thread; read by status. Each add is
 * one {@link LongAdder} cell update, so concurrent writers do not contend on one counter.
 */
final class TrafficCounters {
    private final LongAdder sentBytes = new LongAdder();
    private final LongAdder receivedBytes = new LongAdder();

    void sent(long bytes) {
        sentBytes.add(bytes);
    }

    void received(long bytes) {
        receivedBytes.add(bytes);
    }

    long sentBytes() {
        return sentBytes.sum();
    }

    long receivedBytes() {
        return receivedBytes.sum();
    }
}

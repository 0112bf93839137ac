package io.replicator.core.state;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The counters of one connection that {@code drbdsetup status --statistics} prints on the connection line, and the
 * round-trip time the metrics endpoint shows.
 *
 * @param apInFlightKiB application writes sent to the peer and not yet confirmed by its barrier ack
 *     ({@code ap-in-flight})
 * @param rsInFlightKiB resync data requested from the peer and not yet answered ({@code rs-in-flight})
 * @param pingRttNanos the round trip of the last keep-alive ping answered on this connection (PING sent to PING_ACK
 *     received); empty before the first answer, and while not connected
 */
public record ConnectionStatistics(long apInFlightKiB, long rsInFlightKiB, OptionalLong pingRttNanos) {
    /** Nothing in flight, no round trip measured. */
    public static final ConnectionStatistics EMPTY = new ConnectionStatistics(0, 0);

    /** Checks for null. */
    public ConnectionStatistics {
        Objects.requireNonNull(pingRttNanos, "pingRttNanos");
    }

    /** The counters without a measured round trip. */
    public ConnectionStatistics(long apInFlightKiB, long rsInFlightKiB) {
        this(apInFlightKiB, rsInFlightKiB, OptionalLong.empty());
    }
}

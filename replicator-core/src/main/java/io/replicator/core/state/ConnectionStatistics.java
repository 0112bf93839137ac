package io.replicator.core.state;

/**
 * The counters of one connection that {@code drbdsetup status --statistics} prints on the connection line.
 *
 * @param apInFlightKiB application writes sent to the peer and not yet acknowledged ({@code ap-in-flight})
 * @param rsInFlightKiB resync data requested or sent and not yet acknowledged ({@code rs-in-flight})
 */
public record ConnectionStatistics(long apInFlightKiB, long rsInFlightKiB) {
    /** Nothing in flight. */
    public static final ConnectionStatistics EMPTY = new ConnectionStatistics(0, 0);
}

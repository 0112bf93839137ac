package io.replicator.core.state;

import java.util.Objects;

/**
 * An immutable snapshot of one network path of a connection.
 *
 * @param local the local address as events2 prints it, e.g. {@code ipv4:1.2.3.4:7789}
 * @param peer the peer's address in the same form
 * @param established whether the transport uses this path now
 */
public record PathStatus(String local, String peer, boolean established) {
    /** Checks for nulls. */
    public PathStatus {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(peer, "peer");
    }
}

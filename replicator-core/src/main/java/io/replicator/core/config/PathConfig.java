package io.replicator.core.config;

/**
 * One network path of a connection ({@code path { host A address ..; host B address ..; }}, or the addresses of
 * the two {@code on} sections for an implicit connection).
 *
 * @param first    the endpoint of the host written first
 * @param second   the other endpoint
 * @param location where the path is declared
 */
public record PathConfig(Endpoint first, Endpoint second, Location location) {
    /** The endpoint of {@code host}, which must be one of the two. */
    public Endpoint of(String host) {
        if (first.host().equals(host)) {
            return first;
        }
        if (second.host().equals(host)) {
            return second;
        }
        throw new IllegalArgumentException(host + " is not an end of this path");
    }

    /** The endpoint that is not {@code host}. */
    public Endpoint peerOf(String host) {
        return first.host().equals(host) ? second : first;
    }
}

package io.replicator.core.config;

import java.util.List;
import java.util.Optional;

/**
 * A connection between two hosts of a resource: explicit ({@code connection { }}), from a
 * {@code connection-mesh}, or implied by two {@code on} sections with addresses.
 *
 * @param name     the connection's name, if written
 * @param hostA    the first host
 * @param hostB    the second host
 * @param paths    the network paths, at least one
 * @param net      the effective net options (common, resource, mesh or connection, in that order of precedence)
 * @param location where the connection is declared (the resource, for an implicit one)
 */
public record ConnectionConfig(Optional<String> name, String hostA, String hostB, List<PathConfig> paths,
                               NetConfig net, Location location) {
    public ConnectionConfig {
        paths = List.copyOf(paths);
    }

    /** Whether {@code host} is one of the two ends. */
    public boolean connects(String host) {
        return hostA.equals(host) || hostB.equals(host);
    }

    /** The other end, seen from {@code host}. */
    public String peerOf(String host) {
        return hostA.equals(host) ? hostB : hostA;
    }
}

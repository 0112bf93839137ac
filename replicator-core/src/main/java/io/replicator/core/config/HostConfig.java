package io.replicator.core.config;

import java.util.List;
import java.util.Optional;

/**
 * An {@code on HOST { }} section of a resource.
 *
 * @param name     the host (node) name
 * @param nodeId   the node id (0..31)
 * @param address  {@code address [af] IP:PORT}, if given
 * @param volumes  the host's volumes, by ascending number
 * @param nbdListen {@code nbd-listen [ipv4|ipv6] ADDR:PORT;} (our extension): where this host exports its volumes
 *                  over NBD while Primary
 * @param nbdSocket {@code nbd-socket PATH;} (our extension): a Unix domain socket for the same exports
 * @param metricsListen {@code metrics-listen [ipv4|ipv6] ADDR:PORT;} (our extension): where the node daemon serves
 *                  this resource's Prometheus metrics ({@code GET /metrics})
 * @param location where the section starts
 */
public record HostConfig(String name, int nodeId, Optional<String> address, List<VolumeConfig> volumes,
                         Optional<Address> nbdListen, Optional<String> nbdSocket, Optional<Address> metricsListen,
                         Location location) {
    public HostConfig {
        volumes = List.copyOf(volumes);
    }

    /** A host without NBD exports or a metrics endpoint. */
    public HostConfig(String name, int nodeId, Optional<String> address, List<VolumeConfig> volumes,
                      Location location) {
        this(name, nodeId, address, volumes, Optional.empty(), Optional.empty(), Optional.empty(), location);
    }

    /** The volume numbered {@code number}, if this host has it. */
    public Optional<VolumeConfig> volume(int number) {
        return volumes.stream().filter(v -> v.number() == number).findFirst();
    }
}

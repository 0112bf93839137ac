package io.replicator.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A resource: its hosts and their volumes.
 *
 * @param name     the resource name
 * @param hosts    the {@code on} sections, in file order
 * @param handlers the {@code handlers { }} commands by handler name, {@code common} ones included
 * @param location where the resource starts
 * @param net         the resource's effective net options (common and resource level; connections may override)
 * @param connections the connections between its hosts, explicit, from a connection-mesh, or implied
 * @param startup     {@code startup { }}, common ones included
 * @param options     {@code options { }}, common ones included
 */
public record ResourceConfig(String name, List<HostConfig> hosts, Map<String, String> handlers, Location location,
                             NetConfig net, List<ConnectionConfig> connections, StartupConfig startup,
                             ResourceOptions options) {
    public ResourceConfig {
        hosts = List.copyOf(hosts);
        handlers = Map.copyOf(handlers);
        connections = List.copyOf(connections);
    }

    /** A resource with default net, startup and options, and no connections. */
    public ResourceConfig(String name, List<HostConfig> hosts, Map<String, String> handlers, Location location) {
        this(name, hosts, handlers, location, NetConfig.DEFAULT, List.of(), StartupConfig.DEFAULT,
            ResourceOptions.DEFAULT);
    }

    /** The connections of {@code node} to its peers. */
    public List<ConnectionConfig> connectionsOf(String node) {
        return connections.stream().filter(c -> c.connects(node)).toList();
    }

    /** The command configured for handler {@code name} (e.g. "local-io-error"), if any. */
    public Optional<String> handler(String name) {
        return Optional.ofNullable(handlers.get(name));
    }

    /** The host called {@code node}, if any. */
    public Optional<HostConfig> host(String node) {
        return hosts.stream().filter(h -> h.name().equals(node)).findFirst();
    }

    /** The host called {@code node}, or a {@link ConfigException} that lists the hosts there are. */
    public HostConfig requireHost(String node) throws ConfigException {
        return host(node).orElseThrow(() -> new ConfigException(location, "resource " + name + " has no 'on " + node
            + "' section (hosts: " + hosts.stream().map(HostConfig::name).collect(Collectors.joining(", "))
            + "); pick one with --node NAME"));
    }

    /** Every host but {@code node}. */
    public List<HostConfig> peersOf(String node) {
        return hosts.stream().filter(h -> !h.name().equals(node)).toList();
    }
}

package io.replicator.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a resource's connections: its {@code connection} sections, the pairs of its {@code connection-mesh}, or,
 * when it has neither, every pair of its hosts. Lenient: whatever is incomplete (a host without an address) is left
 * out, because the validator reports it.
 */
final class ConnectionReader {
    private ConnectionReader() {
    }

    static List<ConnectionConfig> read(ConfigNode.Section resource, Map<String, String> resourceNet,
                                       List<HostConfig> hosts) {
        List<ConnectionConfig> connections = new ArrayList<>();
        boolean explicit = false;
        for (ConfigNode node : resource.body()) {
            if (node instanceof ConfigNode.Section section && section.keyword().equals("connection")) {
                explicit = true;
                connection(section, resourceNet, hosts).ifPresent(connections::add);
            } else if (node instanceof ConfigNode.Section mesh && mesh.keyword().equals("connection-mesh")) {
                explicit = true;
                List<String> names = new ArrayList<>();
                for (ConfigNode child : mesh.body()) {
                    if (child instanceof ConfigNode.Parameter p && p.keyword().equals("hosts")) {
                        names.addAll(p.values());
                    }
                }
                pairs(names, merged(resourceNet, mesh), hosts, mesh.location(), connections);
            }
        }
        if (!explicit) {
            pairs(hosts.stream().map(HostConfig::name).toList(), resourceNet, hosts, resource.location(), connections);
        }
        return connections;
    }

    private static void pairs(List<String> names, Map<String, String> net, List<HostConfig> hosts, Location location,
                              List<ConnectionConfig> into) {
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                Optional<Address> a = address(hosts, names.get(i));
                Optional<Address> b = address(hosts, names.get(j));
                if (a.isPresent() && b.isPresent()) {
                    PathConfig path = new PathConfig(new Endpoint(names.get(i), a.get()),
                        new Endpoint(names.get(j), b.get()), location);
                    into.add(new ConnectionConfig(Optional.empty(), names.get(i), names.get(j), List.of(path),
                        NetConfig.of(net), location));
                }
            }
        }
    }

    private static Optional<ConnectionConfig> connection(ConfigNode.Section section, Map<String, String> resourceNet,
                                                         List<HostConfig> hosts) {
        List<PathConfig> paths = new ArrayList<>();
        List<Endpoint> direct = new ArrayList<>();
        for (ConfigNode node : section.body()) {
            if (node instanceof ConfigNode.Parameter host && host.keyword().equals("host")) {
                endpoint(host, hosts).ifPresent(direct::add);
            } else if (node instanceof ConfigNode.Section path && path.keyword().equals("path")) {
                List<Endpoint> ends = new ArrayList<>();
                for (ConfigNode child : path.body()) {
                    if (child instanceof ConfigNode.Parameter host && host.keyword().equals("host")) {
                        endpoint(host, hosts).ifPresent(ends::add);
                    }
                }
                if (ends.size() == 2) {
                    paths.add(new PathConfig(ends.get(0), ends.get(1), path.location()));
                }
            }
        }
        if (paths.isEmpty() && direct.size() == 2) {
            paths.add(new PathConfig(direct.get(0), direct.get(1), section.location()));
        }
        if (paths.isEmpty()) {
            return Optional.empty();
        }
        PathConfig first = paths.get(0);
        return Optional.of(new ConnectionConfig(section.name(), first.first().host(), first.second().host(), paths,
            NetConfig.of(merged(resourceNet, section)), section.location()));
    }

    /** {@code host NAME [address [af] IP:PORT];}, the address defaulting to the host's own. */
    private static Optional<Endpoint> endpoint(ConfigNode.Parameter host, List<HostConfig> hosts) {
        List<String> words = host.values();
        if (words.isEmpty()) {
            return Optional.empty();
        }
        String name = words.get(0);
        if (words.size() >= 3 && words.get(1).equals("address")) {
            try {
                return Optional.of(new Endpoint(name, Address.parse(words.subList(2, words.size()))));
            } catch (IllegalArgumentException invalid) {
                return Optional.empty();
            }
        }
        return address(hosts, name).map(a -> new Endpoint(name, a));
    }

    private static Optional<Address> address(List<HostConfig> hosts, String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst().flatMap(HostConfig::address)
            .flatMap(text -> Address.tryParse(List.of(text.trim().split("\\s+"))));
    }

    private static Map<String, String> merged(Map<String, String> resourceNet, ConfigNode.Section section) {
        Map<String, String> net = new java.util.LinkedHashMap<>(resourceNet);
        net.putAll(OptionValues.values(OptionValues.in(section.body(), SectionKind.NET)));
        return net;
    }
}

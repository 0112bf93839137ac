package io.replicator.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks what single statements cannot show: at most one global and common, resource names, one net per resource
 * or connection, hosts and paths of connections, addresses, devices, per-host conflicts, implicit versus explicit
 * volumes, and the kernel's cross-checks of net options. Works on the tree plus what the reader could build of
 * the model; problems are collected.
 */
final class StructureValidator {
    private static final Pattern DEVICE = Pattern.compile("(/dev/drbd(\\d+))?( ?minor (\\d+))?");
    private static final long MAX_MINOR = (1 << 20) - 1;

    private final List<ConfigError> errors;
    private final Map<String, Location> addresses = new HashMap<>();
    private final Map<String, Location> perHost = new HashMap<>();

    private StructureValidator(List<ConfigError> errors) {
        this.errors = errors;
    }

    static void validate(List<ConfigNode> top, Map<String, ResourceConfig> model, List<ConfigError> errors) {
        new StructureValidator(errors).top(top, model);
    }

    private void top(List<ConfigNode> top, Map<String, ResourceConfig> model) {
        Map<String, Location> firstOf = new HashMap<>();
        List<ConfigNode> common = List.of();
        for (ConfigNode node : top) {
            if (node instanceof ConfigNode.Section section && (section.keyword().equals("global")
                || section.keyword().equals("common"))) {
                Location first = firstOf.putIfAbsent(section.keyword(), section.location());
                if (first != null) {
                    error(section.location(), "a second '" + section.keyword() + "' section (the first is at "
                        + first + ")");
                } else if (section.keyword().equals("common")) {
                    common = section.body();
                }
            }
        }
        for (ConfigNode node : top) {
            if (node instanceof ConfigNode.Section section && section.keyword().equals("resource")) {
                resource(section, common, model);
            }
        }
        resyncAfterCycles(model);
    }

    /**
     * {@code resync-after} must not form a cycle on any node (DRBD's ERR_RESYNC_AFTER_CYCLE): each device would wait
     * for the next forever. Devices are {@code resource/volume} ({@code resource} alone means volume 0).
     */
    private void resyncAfterCycles(Map<String, ResourceConfig> model) {
        Map<String, Map<String, String>> afterByNode = new HashMap<>();
        Map<String, Location> where = new HashMap<>();
        for (ResourceConfig resource : model.values()) {
            for (HostConfig host : resource.hosts()) {
                for (VolumeConfig volume : host.volumes()) {
                    volume.resync().resyncAfter().filter(after -> !after.isBlank() && !after.equals("-1"))
                        .ifPresent(after -> {
                            String device = resource.name() + "/" + volume.number();
                            afterByNode.computeIfAbsent(host.name(), n -> new HashMap<>())
                                .put(device, after.contains("/") ? after : after + "/0");
                            where.put(host.name() + " " + device, volume.location());
                        });
                }
            }
        }
        afterByNode.forEach((node, after) -> {
            java.util.Set<String> reported = new java.util.HashSet<>();
            for (String start : after.keySet()) {
                List<String> chain = new java.util.ArrayList<>(List.of(start));
                String next = after.get(start);
                while (next != null && !chain.contains(next)) {
                    chain.add(next);
                    next = after.get(next);
                }
                if (next != null && next.equals(start) && reported.add(String.join(",",
                    new java.util.TreeSet<>(chain)))) {
                    chain.add(start);
                    error(where.get(node + " " + start), "resync-after forms a cycle on " + node + ": "
                        + String.join(" -> ", chain) + " (each would wait for the next forever)");
                }
            }
        });
    }

    private void resource(ConfigNode.Section resource, List<ConfigNode> common, Map<String, ResourceConfig> model) {
        String name = resource.arguments().isEmpty() ? "" : resource.arguments().get(0);
        if (resource.arguments().size() == 1) {
            checkName(name, resource.location());
        }
        once(resource.body(), "net", "resource " + name);
        Set<String> hostNames = new HashSet<>();
        Set<String> addressedByPath = new HashSet<>();
        List<ConfigNode.Section> ons = new ArrayList<>();
        boolean sharedVolumes = false;
        for (ConfigNode node : resource.body()) {
            if (node instanceof ConfigNode.Section section) {
                switch (section.keyword()) {
                    case "on" -> {
                        ons.add(section);
                        hostNames.addAll(section.arguments());
                    }
                    case "volume" -> sharedVolumes = true;
                    default -> {
                    }
                }
            }
        }
        if (ons.isEmpty()) {
            error(resource.location(), "resource " + name + " has no 'on HOST { }' section");
        }
        for (ConfigNode node : resource.body()) {
            if (node instanceof ConfigNode.Section section && section.keyword().equals("connection")) {
                connection(section, hostNames, addressedByPath);
            } else if (node instanceof ConfigNode.Section mesh && mesh.keyword().equals("connection-mesh")) {
                mesh(mesh, hostNames);
            }
        }
        boolean anyImplicit = false;
        boolean anyExplicit = sharedVolumes;
        for (ConfigNode.Section on : ons) {
            boolean explicit = on.body().stream().anyMatch(n -> n instanceof ConfigNode.Section s
                && s.keyword().equals("volume"));
            boolean implicit = on.body().stream().anyMatch(n -> n instanceof ConfigNode.Parameter p
                && (p.keyword().equals("disk") || p.keyword().equals("device")));
            anyExplicit |= explicit;
            anyImplicit |= implicit && !explicit;
            on(on, ons.size(), addressedByPath);
        }
        if (anyImplicit && anyExplicit) {
            error(resource.location(), "resource " + name + " mixes an implicit volume (device/disk written in "
                + "'on') with explicit 'volume N { }' sections; use one style for every host");
        }
        ResourceConfig built = model.get(name);
        if (built != null && built.location().equals(resource.location())) {
            for (HostConfig host : built.hosts()) {
                for (VolumeConfig volume : host.volumes()) {
                    volume(resource, host, volume);
                }
            }
        }
        crossCheck(resource, common);
    }

    private void checkName(String name, Location location) {
        if (name.isEmpty()) {
            error(location, "a resource name must not be empty");
        } else if (name.contains("/")) {
            error(location, "resource name '" + name + "' must not contain '/'");
        } else if (name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            error(location, "resource name '" + name.replaceAll("\\p{Cntrl}", "?")
                + "' must not contain spaces or control characters");
        }
    }

    private void on(ConfigNode.Section on, int hostCount, Set<String> addressedByPath) {
        String host = on.arguments().isEmpty() ? "" : on.arguments().get(0);
        Optional<ConfigNode.Parameter> address = last(on.body(), "address");
        if (address.isPresent()) {
            endpoint(address.get(), address.get().values(), host);
        } else if (hostCount > 1 && !addressedByPath.contains(host)) {
            error(on.location(), "'on " + host + "' has no 'address' (write 'address [ipv4|ipv6] IP:PORT;', or "
                + "give it in the connection's paths)");
        }
        Optional<Address> nbd = listen(on, "nbd-listen");
        Optional<Address> metrics = listen(on, "metrics-listen");
        if (metrics.isPresent()) {
            // One socket cannot serve two protocols: the daemon would fail to bind the second at 'up'.
            Location where = last(on.body(), "metrics-listen").orElseThrow().location();
            if (nbd.isPresent() && nbd.get().endpoint().equals(metrics.get().endpoint())) {
                error(where, "metrics-listen " + metrics.get().endpoint() + " is also the nbd-listen of 'on " + host
                    + "' (" + last(on.body(), "nbd-listen").orElseThrow().location() + "): give it a port of its own");
            }
            address.flatMap(a -> Address.tryParse(a.values())).filter(a -> a.endpoint().equals(metrics.get().endpoint()))
                .ifPresent(a -> error(where, "metrics-listen " + a.endpoint() + " is also the address of 'on " + host
                    + "' (" + address.get().location() + "): give it a port of its own"));
        }
    }

    /** The address of an {@code ADDR:PORT} extension of {@code on}, reporting a malformed one; empty then. */
    private Optional<Address> listen(ConfigNode.Section on, String keyword) {
        Optional<ConfigNode.Parameter> listen = last(on.body(), keyword);
        if (listen.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Address.parse(listen.get().values()));
        } catch (IllegalArgumentException invalid) {
            error(listen.get().location(), keyword + ": " + invalid.getMessage());
            return Optional.empty();
        }
    }


    private void endpoint(ConfigNode.Parameter statement, List<String> words, String host) {
        try {
            Address parsed = Address.parse(words);
            Location first = addresses.putIfAbsent(parsed.endpoint(), statement.location());
            if (first != null) {
                error(statement.location(), "conflicting use of address " + parsed.endpoint() + " by host " + host
                    + ": first used here " + first);
            }
        } catch (IllegalArgumentException invalid) {
            error(statement.location(), statement.keyword() + ": " + invalid.getMessage());
        }
    }

    private void volume(ConfigNode.Section resource, HostConfig host, VolumeConfig volume) {
        String where = "volume " + volume.number() + " of 'on " + host.name() + "'";
        if (volume.device().isEmpty()) {
            error(volume.location(), where + " has no 'device' (write 'device /dev/drbdN;' or 'device minor N;')");
        } else {
            Matcher matcher = DEVICE.matcher(volume.device());
            boolean ok = matcher.matches() && (matcher.group(2) != null || matcher.group(4) != null);
            if (!ok) {
                error(volume.location(), where + ": device '" + volume.device()
                    + "' is not /dev/drbdN or 'minor N'");
            } else {
                String minorText = matcher.group(4) != null ? matcher.group(4) : matcher.group(2);
                if (matcher.group(2) != null && matcher.group(4) != null
                    && !matcher.group(2).equals(matcher.group(4))) {
                    error(volume.location(), where + ": device /dev/drbd" + matcher.group(2) + " does not match minor "
                        + matcher.group(4));
                } else if (minorText.length() > 7 || Long.parseLong(minorText) > MAX_MINOR) {
                    error(volume.location(), where + ": minor " + minorText + " out of range [0.." + MAX_MINOR + "]");
                } else {
                    conflict(host.name(), "device minor " + Long.parseLong(minorText), volume.location());
                }
            }
        }
        if (!volume.diskless()) {
            conflict(host.name(), "disk " + volume.disk(), volume.location());
            volume.metaDisk().path().ifPresent(path -> conflict(host.name(), "meta-disk " + path,
                volume.location()));
        } else if (!volume.metaDisk().internal()) {
            error(volume.location(), where + ": a meta-disk without a disk ('disk none')");
        }
    }

    private void conflict(String host, String what, Location location) {
        Location first = perHost.putIfAbsent(host + "\u0000" + what, location);
        if (first != null && !first.equals(location)) {
            error(location, "conflicting use of " + what + " on host " + host + ": first used here " + first);
        }
    }

    private void connection(ConfigNode.Section connection, Set<String> hostNames, Set<String> addressedByPath) {
        once(connection.body(), "net", "connection");
        int hostLines = 0;
        int paths = 0;
        for (ConfigNode node : connection.body()) {
            if (node instanceof ConfigNode.Parameter host && host.keyword().equals("host")) {
                hostLines++;
                if (hostLines > 2) {
                    error(host.location(), "a connection has at most 2 'host' statements");
                }
                hostLine(host, hostNames, addressedByPath);
            } else if (node instanceof ConfigNode.Section path && path.keyword().equals("path")) {
                paths++;
                int ends = 0;
                for (ConfigNode child : path.body()) {
                    if (child instanceof ConfigNode.Parameter host && host.keyword().equals("host")) {
                        ends++;
                        if (ends > 2) {
                            error(host.location(), "a path has at most 2 'host' statements");
                        }
                        hostLine(host, hostNames, addressedByPath);
                    }
                }
                if (ends < 2) {
                    error(path.location(), "a path needs 2 'host NAME address IP:PORT;' statements, but has " + ends);
                }
            }
        }
        if (hostLines > 0 && paths > 0) {
            error(connection.location(), "a connection has either 'host' statements or 'path' sections, not both");
        } else if (paths == 0 && hostLines < 2) {
            error(connection.location(), "connection has no path: write two 'host NAME;' statements or "
                + "'path { host A address ..; host B address ..; }'");
        }
    }

    private void hostLine(ConfigNode.Parameter host, Set<String> hostNames, Set<String> addressedByPath) {
        List<String> words = host.values();
        if (words.isEmpty()) {
            error(host.location(), "'host' needs a host name");
            return;
        }
        if (!hostNames.contains(words.get(0))) {
            error(host.location(), "host '" + words.get(0) + "' has no 'on " + words.get(0) + " { }' section");
        }
        if (words.size() == 1) {
            return;
        }
        if (words.size() < 3 || !words.get(1).equals("address")) {
            error(host.location(), "expected 'host NAME [address [ipv4|ipv6] IP:PORT];'");
            return;
        }
        try {
            Address.parse(words.subList(2, words.size()));
            addressedByPath.add(words.get(0));
        } catch (IllegalArgumentException invalid) {
            error(host.location(), "host " + words.get(0) + " address: " + invalid.getMessage());
        }
    }

    private void mesh(ConfigNode.Section mesh, Set<String> hostNames) {
        once(mesh.body(), "net", "connection-mesh");
        Optional<ConfigNode.Parameter> hosts = last(mesh.body(), "hosts");
        if (hosts.isEmpty() || hosts.get().values().size() < 2) {
            error(mesh.location(), "connection-mesh needs 'hosts A B ...;' naming 2 or more hosts");
            return;
        }
        for (String host : hosts.get().values()) {
            if (!hostNames.contains(host)) {
                error(hosts.get().location(), "host '" + host + "' has no 'on " + host + " { }' section");
            }
        }
    }

    /** The kernel's checks of net options (drbd_nl.c _check_net_options), per level that sets them. */
    private void crossCheck(ConfigNode.Section resource, List<ConfigNode> common) {
        Map<String, ConfigNode.Parameter> net = new HashMap<>(OptionValues.in(common, SectionKind.NET));
        last(resource.body(), "protocol").ifPresent(p -> net.put("protocol", p));
        net.putAll(OptionValues.in(resource.body(), SectionKind.NET));
        crossCheck(net);
        for (ConfigNode node : resource.body()) {
            if (node instanceof ConfigNode.Section section && (section.keyword().equals("connection")
                || section.keyword().equals("connection-mesh"))) {
                Map<String, ConfigNode.Parameter> own = OptionValues.in(section.body(), SectionKind.NET);
                if (!own.isEmpty()) {
                    Map<String, ConfigNode.Parameter> merged = new HashMap<>(net);
                    merged.putAll(own);
                    merged.keySet().removeIf(key -> !own.containsKey(key) && !key.equals("protocol"));
                    crossCheck(merged);
                }
            }
        }
    }

    private void crossCheck(Map<String, ConfigNode.Parameter> net) {
        String protocol = valid(net, Keywords.PROTOCOL).toUpperCase(java.util.Locale.ROOT);
        ConfigNode.Parameter twoPrimaries = net.get(Keywords.ALLOW_TWO_PRIMARIES.key());
        if (twoPrimaries != null && valid(net, Keywords.ALLOW_TWO_PRIMARIES).equals("yes") && !protocol.equals("C")) {
            error(twoPrimaries.location(), "allow-two-primaries requires protocol C (protocol is " + protocol
                + " here)");
        }
        ConfigNode.Parameter fencing = net.get(Keywords.FENCING.key());
        if (fencing != null && valid(net, Keywords.FENCING).equals("resource-and-stonith") && protocol.equals("A")) {
            error(fencing.location(), "fencing resource-and-stonith is not allowed with protocol A");
        }
        ConfigNode.Parameter congestion = net.get(Keywords.ON_CONGESTION.key());
        String onCongestion = valid(net, Keywords.ON_CONGESTION);
        if (congestion != null && !onCongestion.equals("block") && !protocol.equals("A")) {
            error(congestion.location(), "on-congestion " + onCongestion + " requires protocol A (protocol is "
                + protocol + " here)");
        }
    }

    private static String valid(Map<String, ConfigNode.Parameter> net, Option option) {
        ConfigNode.Parameter parameter = net.get(option.key());
        if (parameter == null) {
            return option.defaultValue();
        }
        String value = OptionValues.value(parameter);
        return option.type().check(option.key(), List.of(value)).isEmpty() ? value : option.defaultValue();
    }

    private void once(List<ConfigNode> body, String keyword, String where) {
        Location first = null;
        for (ConfigNode node : body) {
            if (node instanceof ConfigNode.Section section && section.keyword().equals(keyword)) {
                if (first == null) {
                    first = section.location();
                } else {
                    error(section.location(), "a second '" + keyword + "' section in " + where
                        + " (the first is at " + first + "); merge them");
                }
            }
        }
    }

    private static Optional<ConfigNode.Parameter> last(List<ConfigNode> body, String keyword) {
        ConfigNode.Parameter found = null;
        for (ConfigNode node : body) {
            if (node instanceof ConfigNode.Parameter parameter && parameter.keyword().equals(keyword)) {
                found = parameter;
            }
        }
        return Optional.ofNullable(found);
    }

    private void error(Location location, String message) {
        errors.add(new ConfigError(location, message));
    }
}

package io.replicator.core.config;

import io.replicator.core.volume.Durability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a parsed configuration into {@link ResourceConfig}s, applying drbd.conf's inheritance: options go from
 * {@code common} to the resource to {@code on HOST} to {@code volume}; {@code device}, {@code disk} and
 * {@code meta-disk} written in the resource apply to every host that does not set them.
 *
 * <p>This reader takes what the storage layer needs (hosts, node ids, volumes, {@code disk { size; al-extents; }});
 * the validator of the full keyword set is a separate pass.
 */
public final class ResourceConfigReader {
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigNode> commonBody = new ArrayList<>();

    private ResourceConfigReader() {
    }

    /** The resources of {@code nodes}, by name in file order. */
    public static Map<String, ResourceConfig> read(List<ConfigNode> nodes) throws ConfigException {
        ResourceConfigReader reader = new ResourceConfigReader();
        Map<String, ResourceConfig> resources = reader.readAll(nodes);
        if (!reader.errors.isEmpty()) {
            throw new ConfigException(reader.errors);
        }
        return resources;
    }

    /** The resources of {@code nodes} as far as they can be read; problems are added to {@code errors}. */
    static Map<String, ResourceConfig> read(List<ConfigNode> nodes, List<ConfigError> errors) {
        ResourceConfigReader reader = new ResourceConfigReader();
        Map<String, ResourceConfig> resources = reader.readAll(nodes);
        errors.addAll(reader.errors);
        return resources;
    }

    /** The resource called {@code name} in {@code nodes}, or an error listing the resources there are. */
    public static ResourceConfig read(List<ConfigNode> nodes, String name, Location file) throws ConfigException {
        Map<String, ResourceConfig> all = read(nodes);
        ResourceConfig resource = all.get(name);
        if (resource == null) {
            throw new ConfigException(file, "no resource '" + name + "' is defined (resources: "
                + (all.isEmpty() ? "none" : String.join(", ", all.keySet())) + ")");
        }
        return resource;
    }

    private Map<String, ResourceConfig> readAll(List<ConfigNode> nodes) {
        Scope common = new Scope(null);
        Map<String, String> commonHandlers = new HashMap<>();
        for (ConfigNode node : nodes) {
            if (node instanceof ConfigNode.Section section && section.keyword().equals("common")) {
                common.absorbOptions(section.body());
                commonBody.addAll(section.body());
                handlers(section.body(), commonHandlers);
            }
        }
        Map<String, ResourceConfig> resources = new LinkedHashMap<>();
        for (ConfigNode node : nodes) {
            if (node instanceof ConfigNode.Section section && section.keyword().equals("resource")) {
                if (section.arguments().size() != 1) {
                    errors.add(new ConfigError(section.location(), "resource needs exactly one name"));
                    continue;
                }
                String name = section.arguments().get(0);
                if (resources.containsKey(name)) {
                    errors.add(new ConfigError(section.location(), "resource " + name + " is defined twice (first at "
                        + resources.get(name).location() + ")"));
                    continue;
                }
                resources.put(name, resource(section, common, commonHandlers));
            }
        }
        return resources;
    }

    private void handlers(List<ConfigNode> body, Map<String, String> into) {
        for (ConfigNode node : body) {
            if (node instanceof ConfigNode.Section section && section.keyword().equals("handlers")) {
                for (ConfigNode handler : section.body()) {
                    if (handler instanceof ConfigNode.Parameter parameter) {
                        into.put(parameter.keyword(), single(parameter));
                    }
                }
            }
        }
    }

    private ResourceConfig resource(ConfigNode.Section section, Scope common, Map<String, String> commonHandlers) {
        Scope scope = new Scope(common);
        scope.absorb(section.body());
        List<ConfigNode.Section> onSections = new ArrayList<>();
        Map<Integer, ConfigNode.Section> sharedVolumes = new TreeMap<>();
        for (ConfigNode node : section.body()) {
            if (node instanceof ConfigNode.Section child) {
                if (child.keyword().equals("on")) {
                    onSections.add(child);
                } else if (child.keyword().equals("volume")) {
                    volumeNumber(child).ifPresent(n -> sharedVolumes.put(n, child));
                }
            }
        }
        List<HostConfig> hosts = new ArrayList<>();
        boolean anyNodeId = false;
        for (int i = 0; i < onSections.size(); i++) {
            ConfigNode.Section on = onSections.get(i);
            anyNodeId |= find(on.body(), "node-id").isPresent();
        }
        for (int i = 0; i < onSections.size(); i++) {
            host(onSections.get(i), scope, sharedVolumes, anyNodeId, onSections.size(), i).ifPresent(hosts::add);
        }
        checkUnique(hosts);
        Map<String, String> handlers = new HashMap<>(commonHandlers);
        handlers(section.body(), handlers);
        Map<String, String> net = new LinkedHashMap<>(OptionValues.values(OptionValues.in(commonBody,
            SectionKind.NET)));
        find(section.body(), "protocol").ifPresent(p -> net.put("protocol", OptionValues.value(p)));
        net.putAll(OptionValues.values(OptionValues.in(section.body(), SectionKind.NET)));
        return new ResourceConfig(section.arguments().get(0), hosts, handlers, section.location(), NetConfig.of(net),
            ConnectionReader.read(section, net, hosts), startup(section.body()), options(section.body()));
    }

    private StartupConfig startup(List<ConfigNode> body) {
        Map<String, String> values = new LinkedHashMap<>(OptionValues.values(OptionValues.in(commonBody,
            SectionKind.STARTUP)));
        values.putAll(OptionValues.values(OptionValues.in(body, SectionKind.STARTUP)));
        return new StartupConfig(units(values, Keywords.WFC_TIMEOUT), units(values, Keywords.DEGR_WFC_TIMEOUT),
            units(values, Keywords.OUTDATED_WFC_TIMEOUT), valid(values, Keywords.WAIT_AFTER_SB).equals("yes"));
    }

    private ResourceOptions options(List<ConfigNode> body) {
        Map<String, String> values = new LinkedHashMap<>(OptionValues.values(OptionValues.in(commonBody,
            SectionKind.OPTIONS)));
        values.putAll(OptionValues.values(OptionValues.in(body, SectionKind.OPTIONS)));
        return new ResourceOptions(valid(values, Keywords.AUTO_PROMOTE).equals("yes"), valid(values, Keywords.QUORUM),
            valid(values, Keywords.ON_NO_QUORUM), valid(values, Keywords.QUORUM_MINIMUM_REDUNDANCY),
            valid(values, Keywords.ON_SUSPENDED_PRIMARY_OUTDATED),
            Long.parseLong(valid(values, Keywords.AUTO_PROMOTE_TIMEOUT)) * 100);
    }

    /** The written value of {@code option} if it is valid, else its default (the validator reports the problem). */
    private static String valid(Map<String, String> values, Option option) {
        String value = values.get(option.key());
        return value != null && option.type().check(option.key(), List.of(value)).isEmpty() ? value
            : option.defaultValue();
    }

    private static long units(Map<String, String> values, Option option) {
        return ((ValueType.Number) option.type()).units(valid(values, option));
    }

    private Optional<HostConfig> host(ConfigNode.Section on, Scope resource, Map<Integer, ConfigNode.Section> shared,
                                      boolean nodeIdsGiven, int hostCount, int index) {
        if (on.arguments().size() != 1) {
            errors.add(new ConfigError(on.location(), "'on' needs exactly one host name"));
            return Optional.empty();
        }
        Scope scope = new Scope(resource);
        scope.absorb(on.body());
        int nodeId;
        Optional<ConfigNode.Parameter> nodeIdParam = find(on.body(), "node-id");
        if (nodeIdParam.isPresent()) {
            nodeId = (int) number(nodeIdParam.get(), 0, 31, ScaledNumber.ONE);
        } else if (!nodeIdsGiven && hostCount == 2) {
            nodeId = index;    // drbdadm derives the ids of a two-host resource itself
        } else {
            errors.add(new ConfigError(on.location(), "node-id missing in 'on " + on.arguments().get(0)
                + "': every host needs 'node-id N;' (0..31)"));
            nodeId = -1;
        }
        Optional<String> address = find(on.body(), "address").map(p -> String.join(" ", p.values()));

        Map<Integer, ConfigNode.Section> volumes = new TreeMap<>(shared);
        for (ConfigNode node : on.body()) {
            if (node instanceof ConfigNode.Section child && child.keyword().equals("volume")) {
                volumeNumber(child).ifPresent(n -> volumes.put(n, child));
            }
        }
        List<VolumeConfig> result = new ArrayList<>();
        if (volumes.isEmpty()) {
            volume(0, scope, on.location()).ifPresent(result::add);
        } else {
            if (find(on.body(), "disk").isPresent() && !shared.isEmpty()) {
                errors.add(new ConfigError(on.location(), "mixing an implicit volume with explicit 'volume' sections"));
            }
            for (Map.Entry<Integer, ConfigNode.Section> entry : volumes.entrySet()) {
                Scope volumeScope = new Scope(scope);
                volumeScope.absorb(entry.getValue().body());
                volume(entry.getKey(), volumeScope, entry.getValue().location()).ifPresent(result::add);
            }
        }
        Optional<Address> nbdListen = listenAddress(on, "nbd-listen");
        Optional<String> nbdSocket = find(on.body(), "nbd-socket").map(this::single);
        Optional<Address> metricsListen = listenAddress(on, "metrics-listen");
        return Optional.of(new HostConfig(on.arguments().get(0), nodeId, address, result, nbdListen, nbdSocket,
            metricsListen, on.location()));
    }

    /** The address of an {@code ADDR:PORT} extension of {@code on}; empty when absent or invalid. */
    private Optional<Address> listenAddress(ConfigNode.Section on, String keyword) {
        // StructureValidator reports an invalid one with its location.
        return find(on.body(), keyword).flatMap(listen -> Address.tryParse(listen.values()));
    }

    private Optional<VolumeConfig> volume(int number, Scope scope, Location location) {
        Optional<ConfigNode.Parameter> disk = scope.parameter("disk");
        if (disk.isEmpty()) {
            errors.add(new ConfigError(location, "volume " + number + " has no 'disk' (a path, or 'none')"));
            return Optional.empty();
        }
        String device = scope.parameter("device").map(p -> String.join(" ", p.values())).orElse("");
        MetaDisk metaDisk = scope.parameter("meta-disk").map(p -> p.values().isEmpty()
            || p.values().get(0).equals("internal") ? MetaDisk.INTERNAL : new MetaDisk(Optional.of(p.values().get(0))))
            .orElse(MetaDisk.INTERNAL);
        long size = scope.option("size").map(p -> number(p, 0, 1L << 50, ScaledNumber.SECTOR)).orElse(0L);
        if (size % 4096 != 0) {
            errors.add(new ConfigError(scope.option("size").orElseThrow().location(), "size " + size
                + " bytes is not a multiple of 4 KiB"));
        }
        int alExtents = scope.option("al-extents").map(p -> (int) number(p, 7, 65534, ScaledNumber.ONE))
            .orElse(1237);
        Durability durability = scope.option("durability").map(this::durability).orElse(Durability.FORCE);
        OnIoError onIoError = scope.option("on-io-error").map(this::onIoError).orElse(OnIoError.DETACH);
        // A flag: "disk-flushes;" and "disk-flushes yes;" turn it on; the validator has checked the value.
        boolean diskFlushes = scope.option("disk-flushes").map(p -> p.values().isEmpty() || !p.values().get(0)
            .equals("no")).orElse(true);
        return Optional.of(new VolumeConfig(number, device, single(disk.get()), metaDisk, size, alExtents, durability,
            onIoError, diskFlushes, ResyncOptions.of(scope.optionValues()), location));
    }

    private OnIoError onIoError(ConfigNode.Parameter parameter) {
        String value = single(parameter);
        for (OnIoError choice : OnIoError.values()) {
            if (choice.keyword().equals(value)) {
                return choice;
            }
        }
        errors.add(new ConfigError(parameter.location(), "on-io-error '" + value
            + "' is not allowed. Allowed values are: pass_on, call-local-io-error, detach"));
        return OnIoError.DETACH;
    }

    private Durability durability(ConfigNode.Parameter parameter) {
        String value = single(parameter);
        return switch (value) {
            case "force" -> Durability.FORCE;
            case "dsync" -> Durability.DSYNC;
            default -> {
                errors.add(new ConfigError(parameter.location(), "durability '" + value
                    + "' is not allowed. Allowed values are: force, dsync"));
                yield Durability.FORCE;
            }
        };
    }

    private void checkUnique(List<HostConfig> hosts) {
        Map<Integer, HostConfig> byId = new HashMap<>();
        Map<String, HostConfig> byName = new HashMap<>();
        for (HostConfig host : hosts) {
            HostConfig sameName = byName.putIfAbsent(host.name(), host);
            if (sameName != null) {
                errors.add(new ConfigError(host.location(), "host " + host.name() + " appears twice (first at "
                    + sameName.location() + ")"));
            }
            HostConfig sameId = host.nodeId() < 0 ? null : byId.putIfAbsent(host.nodeId(), host);
            if (sameId != null) {
                errors.add(new ConfigError(host.location(), "node-id " + host.nodeId() + " is used by " + sameId.name()
                    + " and " + host.name() + "; node ids must be unique"));
            }
        }
    }

    private Optional<Integer> volumeNumber(ConfigNode.Section volume) {
        if (volume.arguments().size() != 1 || !volume.arguments().get(0).matches("\\d{1,5}")) {
            errors.add(new ConfigError(volume.location(), "volume needs a number (0..65534)"));
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(volume.arguments().get(0)));
    }

    private String single(ConfigNode.Parameter parameter) {
        if (parameter.values().size() != 1) {
            errors.add(new ConfigError(parameter.location(), "'" + parameter.keyword() + "' takes exactly one value"));
            return parameter.values().isEmpty() ? "" : parameter.values().get(0);
        }
        return parameter.values().get(0);
    }

    private long number(ConfigNode.Parameter parameter, long min, long max, long defaultUnit) {
        String text = single(parameter);
        try {
            long value = ScaledNumber.parse(text, defaultUnit);
            if (value < min || value > max) {
                errors.add(new ConfigError(parameter.location(), parameter.keyword() + " " + text + " => " + value
                    + " out of range [" + min + ".." + max + "]"));
            }
            return value;
        } catch (IllegalArgumentException bad) {
            errors.add(new ConfigError(parameter.location(), parameter.keyword() + ": " + bad.getMessage()));
            return min;
        }
    }

    private static Optional<ConfigNode.Parameter> find(List<ConfigNode> body, String keyword) {
        return body.stream().filter(n -> n instanceof ConfigNode.Parameter && n.keyword().equals(keyword))
            .map(ConfigNode.Parameter.class::cast).reduce((first, second) -> second);
    }

    /** Parameters and {@code disk { }} options visible at one level, falling back to the enclosing level. */
    private static final class Scope {
        private final Scope parent;
        private final Map<String, ConfigNode.Parameter> parameters = new HashMap<>();
        private final Map<String, ConfigNode.Parameter> options = new HashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }

        /** Takes this level's {@code device}/{@code disk}/{@code meta-disk} and its option sections. */
        void absorb(List<ConfigNode> body) {
            for (ConfigNode node : body) {
                if (node instanceof ConfigNode.Parameter parameter) {
                    parameters.put(parameter.keyword(), parameter);
                }
            }
            absorbOptions(body);
        }

        void absorbOptions(List<ConfigNode> body) {
            for (ConfigNode node : body) {
                if (node instanceof ConfigNode.Section section && section.keyword().equals("disk")) {
                    for (ConfigNode option : section.body()) {
                        if (option instanceof ConfigNode.Parameter parameter) {
                            options.put(parameter.keyword(), parameter);
                        }
                    }
                }
            }
        }

        Optional<ConfigNode.Parameter> parameter(String keyword) {
            ConfigNode.Parameter own = parameters.get(keyword);
            return own != null ? Optional.of(own) : parent == null ? Optional.empty() : parent.parameter(keyword);
        }

        /** Every visible {@code disk { }} option, canonical key → normalised value; inner levels win. */
        Map<String, String> optionValues() {
            Map<String, String> values = parent == null ? new HashMap<>() : parent.optionValues();
            options.values().forEach(parameter -> values.put(OptionValues.key(parameter),
                OptionValues.value(parameter)));
            return values;
        }

        Optional<ConfigNode.Parameter> option(String keyword) {
            ConfigNode.Parameter own = options.get(keyword);
            return own != null ? Optional.of(own) : parent == null ? Optional.empty() : parent.option(keyword);
        }
    }
}

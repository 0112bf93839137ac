package io.replicator.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A validated configuration: the syntax tree, the resources built from it, and the warnings. The one entry point
 * that parses, validates and builds; either every check passes or a {@link ConfigException} carries every problem
 * found (syntax, keywords, values, structure), each with file:line:column, in file order.
 *
 * @param source    the file (or name) it was read from
 * @param nodes     the statements, includes resolved
 * @param resources the resources by name, in file order
 * @param warnings  problems that do not stop the configuration from being used (e.g. {@code become-primary-on})
 */
public record Configuration(String source, List<ConfigNode> nodes, Map<String, ResourceConfig> resources,
                            List<ConfigError> warnings) {
    public Configuration {
        nodes = List.copyOf(nodes);
        resources = Map.copyOf(resources);
        warnings = List.copyOf(warnings);
    }

    /** Reads, validates and builds {@code file} and its includes. */
    public static Configuration load(Path file) throws ConfigException {
        return build(file.toString(), errors -> ConfigParser.parse(file, errors));
    }

    /** Reads, validates and builds {@code text} as if read from a file called {@code name}. */
    public static Configuration load(String name, String text) throws ConfigException {
        return build(name, errors -> ConfigParser.parse(name, text, errors));
    }

    private static Configuration build(String source, Function<List<ConfigError>, List<ConfigNode>> parse)
        throws ConfigException {
        List<ConfigError> syntax = new ArrayList<>();
        List<ConfigNode> nodes = parse.apply(syntax);
        List<ConfigError> checks = new ArrayList<>();
        List<ConfigError> warnings = new ArrayList<>();
        ConfigValidator.validate(nodes, checks, warnings);
        List<ConfigError> model = new ArrayList<>();
        Map<String, ResourceConfig> resources = ResourceConfigReader.read(nodes, model);
        StructureValidator.validate(nodes, resources, checks);
        // The reader re-checks a few values the validator already judged: keep one complaint per statement.
        Set<Location> judged = new HashSet<>();
        checks.forEach(e -> judged.add(e.location()));
        Set<ConfigError> all = new LinkedHashSet<>(syntax);
        all.addAll(checks);
        model.stream().filter(e -> !judged.contains(e.location())).forEach(all::add);
        if (!all.isEmpty()) {
            List<ConfigError> sorted = new ArrayList<>(all);
            sorted.sort(Comparator.comparing((ConfigError e) -> e.location().file())
                .thenComparingInt(e -> e.location().line()).thenComparingInt(e -> e.location().column()));
            throw new ConfigException(sorted);
        }
        return new Configuration(source, nodes, resources, warnings);
    }

    /** The resource called {@code name}, or an error listing the resources there are. */
    public ResourceConfig resource(String name) throws ConfigException {
        ResourceConfig resource = resources.get(name);
        if (resource == null) {
            throw new ConfigException(new Location(source, 0, 0), "no resource '" + name + "' is defined (resources: "
                + (resources.isEmpty() ? "none" : String.join(", ", resourceNames())) + ")");
        }
        return resource;
    }

    /** The resource names in file order. */
    public List<String> resourceNames() {
        List<String> names = new ArrayList<>();
        for (ConfigNode node : nodes) {
            if (node instanceof ConfigNode.Section section && section.keyword().equals("resource")
                && section.arguments().size() == 1 && !names.contains(section.arguments().get(0))) {
                names.add(section.arguments().get(0));
            }
        }
        return names;
    }
}

package io.replicator.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a configuration in drbdadm's canonical {@code dump} form: sections in drbdadm's order, four-space
 * indentation, options as {@code %-Ws %3s;} with W = 24 − indent, flags as yes/no, strings quoted only when they
 * need it, devices as {@code /dev/drbdN minor N} and addresses with their family.
 *
 * <p>Invariant: for a configuration drbdadm accepts, the output equals {@code drbdadm -c FILE dump all} except for
 * comment lines; {@code become-primary-on} is left out, as drbdadm 9 does.
 */
public final class ConfigDump {
    private static final List<String> OPTION_SECTIONS = List.of("options", "net", "disk", "startup", "handlers");
    private static final int COLUMN = 24;
    /** drbdadm writes global options in this order, whatever the file's. */
    private static final List<String> GLOBAL_ORDER = List.of("disable-ip-verification", "udev-always-use-vnr",
        "minor-count", "dialog-refresh", "usage-count", "cmd-timeout-short", "cmd-timeout-medium", "cmd-timeout-long");
    /** drbdadm writes an external meta-disk with this width at any depth. */
    private static final int EXTERNAL_META_DISK_WIDTH = 16;

    private final StringBuilder out = new StringBuilder();

    private ConfigDump() {
    }

    /** The dump of {@code configuration}, every resource, or only {@code resource} when given. */
    public static String dump(Configuration configuration, Optional<String> resource) {
        ConfigDump dump = new ConfigDump();
        dump.out.append("# ").append(configuration.source()).append('\n');
        List<ConfigNode> top = configuration.nodes();
        sections(top, "global").stream().findFirst().ifPresent(dump::global);
        sections(top, "common").stream().findFirst().ifPresent(common -> {
            dump.out.append("common {\n");
            dump.optionSections(common.body(), 4, Optional.empty());
            dump.out.append("}\n\n");
        });
        for (ConfigNode.Section section : sections(top, "resource")) {
            String name = section.arguments().get(0);
            if (resource.isEmpty() || resource.get().equals(name)) {
                dump.resource(section);
            }
        }
        return dump.out.toString();
    }

    private void global(ConfigNode.Section global) {
        out.append("global {\n");
        List<ConfigNode.Parameter> ordered = new ArrayList<>(parameters(global.body()));
        ordered.sort(java.util.Comparator.comparingInt(p -> GLOBAL_ORDER.indexOf(OptionValues.key(p))));
        for (ConfigNode.Parameter parameter : ordered) {
            String key = OptionValues.key(parameter);
            String value = OptionValues.value(parameter);
            if (key.equals(Keywords.USAGE_COUNT.key()) && value.equals("ask")) {
                continue;
            }
            boolean flag = Keywords.option(key).map(Option::flag).orElse(false);
            if (flag) {
                if (value.equals("yes")) {
                    out.append("    ").append(key).append(";\n");
                }
            } else {
                out.append("    ").append(key).append(' ').append(quote(value)).append(";\n");
            }
        }
        out.append("}\n\n");
    }

    private void resource(ConfigNode.Section resource) {
        out.append("# resource ").append(resource.arguments().get(0)).append('\n');
        out.append("resource ").append(quote(resource.arguments().get(0))).append(" {\n");
        disks(resource.body(), 4);
        for (ConfigNode.Section volume : sections(resource.body(), "volume")) {
            volume(volume, 4);
        }
        for (ConfigNode.Section on : sections(resource.body(), "on")) {
            on(on);
        }
        for (ConfigNode.Section connection : sections(resource.body(), "connection")) {
            connection(connection);
        }
        for (ConfigNode.Section mesh : sections(resource.body(), "connection-mesh")) {
            line(4, "connection-mesh {");
            for (ConfigNode.Parameter hosts : parameters(mesh.body())) {
                line(8, hosts.keyword() + " " + String.join(" ", hosts.values()) + ";");
            }
            optionSections(mesh.body(), 8, Optional.empty());
            line(4, "}");
        }
        Optional<ConfigNode.Parameter> protocol = parameters(resource.body()).stream()
            .filter(p -> p.keyword().equals("protocol")).reduce((a, b) -> b);
        optionSections(resource.body(), 4, protocol);
        out.append("}\n\n");
    }

    private void on(ConfigNode.Section on) {
        line(4, "on " + String.join(" ", on.arguments()) + " {");
        for (ConfigNode.Parameter parameter : parameters(on.body())) {
            if (parameter.keyword().equals("node-id")) {
                line(8, "node-id " + String.join(" ", parameter.values()) + ";");
            }
        }
        optionSections(on.body(), 8, Optional.empty());
        disks(on.body(), 8);
        for (ConfigNode.Section volume : sections(on.body(), "volume")) {
            volume(volume, 8);
        }
        for (ConfigNode.Parameter parameter : parameters(on.body())) {
            switch (parameter.keyword()) {
                case "address", "nbd-listen", "metrics-listen" ->
                    option(8, parameter.keyword(), address(parameter.values()), false);
                case "nbd-socket" -> option(8, parameter.keyword(), quote(OptionValues.value(parameter)), false);
                default -> {
                }
            }
        }
        line(4, "}");
    }

    private void volume(ConfigNode.Section volume, int indent) {
        line(indent, "volume " + String.join(" ", volume.arguments()) + " {");
        optionSections(volume.body(), indent + 4, Optional.empty());
        disks(volume.body(), indent + 4);
        line(indent, "}");
    }

    private void connection(ConfigNode.Section connection) {
        line(4, "connection {");    // drbdadm 9 ignores connection names (deprecated), and so does its dump
        hosts(connection.body(), 8);
        for (ConfigNode.Section path : sections(connection.body(), "path")) {
            line(8, "path {");
            hosts(path.body(), 12);
            line(8, "}");
        }
        optionSections(connection.body(), 8, Optional.empty());
        for (ConfigNode.Section volume : sections(connection.body(), "volume")) {
            volume(volume, 8);
        }
        line(4, "}");
    }

    private void hosts(List<ConfigNode> body, int indent) {
        for (ConfigNode.Parameter host : parameters(body)) {
            if (!host.keyword().equals("host") || host.values().isEmpty()) {
                continue;
            }
            List<String> words = host.values();
            if (words.size() < 3) {
                line(indent, "host " + words.get(0) + ";");
            } else {
                line(indent, "host " + words.get(0) + " " + " ".repeat(indent) + String.format("%-16s", "address")
                    + address(words.subList(2, words.size())) + ";");
            }
        }
    }

    /** {@code device}, {@code disk} and {@code meta-disk} of one level, in that order. */
    private void disks(List<ConfigNode> body, int indent) {
        for (String keyword : List.of("device", "disk", "meta-disk")) {
            parameters(body).stream().filter(p -> p.keyword().equals(keyword)).reduce((a, b) -> b).ifPresent(p -> {
                String value = String.join(" ", p.values());
                if (keyword.equals("meta-disk") && !value.equals("internal")) {
                    line(indent, String.format("%-" + EXTERNAL_META_DISK_WIDTH + "s %s;", keyword, value));
                } else {
                    option(indent, keyword, keyword.equals("device") ? device(p.values()) : quote(value), false);
                }
            });
        }
    }

    private void optionSections(List<ConfigNode> body, int indent, Optional<ConfigNode.Parameter> protocol) {
        for (String keyword : OPTION_SECTIONS) {
            List<ConfigNode.Parameter> options = new ArrayList<>();
            if (keyword.equals("net")) {
                protocol.ifPresent(options::add);
            }
            boolean present = protocol.isPresent() && keyword.equals("net");
            for (ConfigNode.Section section : sections(body, keyword)) {
                present = true;
                options.addAll(parameters(section.body()));
            }
            if (!present) {
                continue;
            }
            line(indent, keyword + " {");
            for (ConfigNode.Parameter option : options) {
                if (option.keyword().equals(Keywords.BECOME_PRIMARY_ON.key())) {
                    continue;
                }
                option(indent + 4, OptionValues.key(option), quote(OptionValues.value(option)), true);
            }
            line(indent, "}");
        }
    }

    private void option(int indent, String key, String value, boolean narrow) {
        int width = Math.max(1, COLUMN - indent);
        line(indent, String.format("%-" + width + "s " + (narrow ? "%3s" : "%s") + ";", key, value));
    }

    private void line(int indent, String text) {
        out.append(" ".repeat(indent)).append(text).append('\n');
    }

    private static String device(List<String> words) {
        if (words.size() == 1 && words.get(0).matches("/dev/drbd\\d+")) {
            return words.get(0) + " minor " + Long.parseLong(words.get(0).substring("/dev/drbd".length()));
        }
        return String.join(" ", words);
    }

    private static String address(List<String> words) {
        return Address.tryParse(words).map(Address::toString).orElseGet(() -> String.join(" ", words));
    }

    /** Quotes {@code value} when it could not be read back as one word. */
    private static String quote(String value) {
        boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == ';'
            || c == '{' || c == '}' || c == '#' || c == '"' || c == '\\');
        return plain ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static List<ConfigNode.Section> sections(List<ConfigNode> body, String keyword) {
        List<ConfigNode.Section> found = new ArrayList<>();
        for (ConfigNode node : body) {
            if (node instanceof ConfigNode.Section section && section.keyword().equals(keyword)) {
                found.add(section);
            }
        }
        return found;
    }

    private static List<ConfigNode.Parameter> parameters(List<ConfigNode> body) {
        List<ConfigNode.Parameter> found = new ArrayList<>();
        for (ConfigNode node : body) {
            if (node instanceof ConfigNode.Parameter parameter) {
                found.add(parameter);
            }
        }
        return found;
    }
}

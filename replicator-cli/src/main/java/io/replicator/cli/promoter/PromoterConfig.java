package io.replicator.cli.promoter;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A drbd-reactor promoter file (TOML), as {@code replicator promoter} reads it: {@code [[promoter]]} tables, each with
 * {@code [promoter.resources.NAME]} tables. Other drbd-reactor plugins' tables ({@code [[prometheus]]},
 * {@code [[umh]]}, ...) and its top-level settings are skipped, so that a drbd-reactor user can bring the whole file;
 * an unknown key inside a promoter resource is an error (a typo must not silently change failover).
 *
 * <p>Only the {@code shell} runner runs here (no systemd): each {@code start} entry is a command line run with
 * {@code start} appended, in order, after the promotion, and with {@code stop} appended, in reverse order, before the
 * demotion — so heartbeat-style resource scripts and LSB init scripts work unchanged. A {@code stop} list, if given,
 * is run as written, in its order, instead.
 */
public record PromoterConfig(List<Resource> resources) {
    /** Where the promoter looks without {@code --promoter-config}. */
    public static final Path DEFAULT_PATH = Path.of("/etc/replicator/promoter.toml");

    private static final Set<String> KEYS = Set.of("start", "stop", "runner", "on-quorum-loss",
        "sleep-before-promote-factor", "preferred-nodes", "secondary-force", "on-drbd-demote-failure",
        "stop-services-on-exit", "dependencies-as", "target-as", "on-stop-failure");

    /**
     * One promoted resource.
     *
     * @param name               the resource
     * @param start              its services, in start order
     * @param stop               commands run as written before demotion; empty: the start entries with {@code stop}
     * @param onQuorumLoss       {@code shutdown}: stop the services and demote when quorum is lost
     * @param sleepFactor        {@code sleep-before-promote-factor}: seconds per step of worse local data
     * @param preferredNodes     nodes in order of preference: each later one waits a second longer
     * @param secondaryForce     demote with {@code secondary --force} (cuts NBD clients off)
     * @param onDemoteFailure    {@code none}, {@code reboot}, {@code reboot-immediate}, {@code poweroff-immediate}
     * @param stopServicesOnExit stop the services and demote when the promoter exits
     */
    public record Resource(String name, List<String> start, List<String> stop, String onQuorumLoss, int sleepFactor,
                           List<String> preferredNodes, boolean secondaryForce, String onDemoteFailure,
                           boolean stopServicesOnExit) {
    }

    /** A promoter file that cannot be used, with every reason. */
    public static final class Invalid extends Exception {
        private final List<String> errors;

        Invalid(Path file, List<String> errors) {
            super(file + ": " + String.join("; ", errors));
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }

    /** Reads {@code file}. */
    public static PromoterConfig load(Path file) throws Invalid {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException missing) {
            throw new Invalid(file, List.of("no such file (give another with --promoter-config FILE)"));
        } catch (IOException failure) {
            throw new Invalid(file, List.of("cannot read it: " + failure.getMessage()));
        }
        return parse(file, text);
    }

    /** Parses {@code text}, naming {@code file} in errors. */
    public static PromoterConfig parse(Path file, String text) throws Invalid {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JacksonException malformed) {
            throw new Invalid(file, List.of("not valid TOML: " + malformed.getOriginalMessage()
                + (malformed.getLocation() == null ? "" : " (line " + malformed.getLocation().getLineNr() + ")")));
        }
        List<String> errors = new ArrayList<>();
        Map<String, Resource> resources = new LinkedHashMap<>();
        JsonNode promoters = root == null ? null : root.get("promoter");
        if (promoters == null) {
            errors.add("no [[promoter]] table");
        } else {
            List<JsonNode> tables = new ArrayList<>();
            if (promoters.isArray()) {
                promoters.forEach(tables::add);
            } else {
                tables.add(promoters);
            }
            for (JsonNode promoter : tables) {
                JsonNode named = promoter.get("resources");
                if (named == null || !named.isObject() || named.isEmpty()) {
                    errors.add("a [[promoter]] without [promoter.resources.NAME]");
                    continue;
                }
                for (Map.Entry<String, JsonNode> entry : named.properties()) {
                    if (resources.containsKey(entry.getKey())) {
                        errors.add("resource " + entry.getKey() + " appears twice");
                        continue;
                    }
                    resource(entry.getKey(), entry.getValue(), errors).ifPresent(r -> resources.put(r.name(), r));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new Invalid(file, errors);
        }
        return new PromoterConfig(List.copyOf(resources.values()));
    }

    private static java.util.Optional<Resource> resource(String name, JsonNode table, List<String> errors) {
        int before = errors.size();
        String where = "[promoter.resources." + name + "] ";
        if (!table.isObject()) {
            errors.add(where + "is not a table");
            return java.util.Optional.empty();
        }
        table.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                errors.add(where + "unknown key '" + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(
                    KEYS)) + ")");
            }
        });
        List<String> start = strings(table, "start", where, errors);
        List<String> stop = strings(table, "stop", where, errors);
        String runner = string(table, "runner", "systemd", where, errors);
        if (!runner.equals("shell")) {
            errors.add(where + "runner = \"" + runner + "\"" + (table.has("runner") ? "" : " (drbd-reactor's default)")
                + " is not supported: there is no systemd here; set runner = \"shell\", and give each start entry "
                + "as a command line that takes start and stop (an LSB init script, a resource script)");
        }
        String onQuorumLoss = string(table, "on-quorum-loss", "shutdown", where, errors);
        if (onQuorumLoss.equals("freeze")) {
            errors.add(where + "on-quorum-loss = \"freeze\" needs the systemd runner's cgroup freezer; the shell "
                + "runner supports \"shutdown\" (stop the services, demote)");
        } else if (!onQuorumLoss.equals("shutdown")) {
            errors.add(where + "on-quorum-loss must be \"shutdown\" or \"freeze\", not \"" + onQuorumLoss + "\"");
        }
        String onDemoteFailure = string(table, "on-drbd-demote-failure", "none", where, errors);
        if (!Set.of("none", "reboot", "reboot-immediate", "poweroff-immediate").contains(onDemoteFailure)) {
            errors.add(where + "on-drbd-demote-failure must be none, reboot, reboot-immediate or poweroff-immediate, "
                + "not \"" + onDemoteFailure + "\"");
        }
        int factor = 1;
        JsonNode sleep = table.get("sleep-before-promote-factor");
        if (sleep != null) {
            if (!sleep.isIntegralNumber() || sleep.asInt() < 0 || sleep.asInt() > 100) {
                errors.add(where + "sleep-before-promote-factor must be a whole number 0..100, not " + sleep);
            } else {
                factor = sleep.asInt();
            }
        }
        List<String> preferred = strings(table, "preferred-nodes", where, errors);
        boolean secondaryForce = bool(table, "secondary-force", true, where, errors);
        boolean stopOnExit = bool(table, "stop-services-on-exit", false, where, errors);
        if (errors.size() > before) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Resource(name, start, stop, onQuorumLoss, factor, preferred, secondaryForce,
            onDemoteFailure, stopOnExit));
    }

    private static List<String> strings(JsonNode table, String key, String where, List<String> errors) {
        JsonNode value = table.get(key);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            errors.add(where + key + " must be a list of strings, e.g. " + key + " = [\"a\", \"b\"]");
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank()) {
                errors.add(where + key + " holds " + item + ", not a command line");
            } else {
                items.add(item.asText().strip());
            }
        }
        return List.copyOf(items);
    }

    private static String string(JsonNode table, String key, String otherwise, String where, List<String> errors) {
        JsonNode value = table.get(key);
        if (value == null) {
            return otherwise;
        }
        if (!value.isTextual()) {
            errors.add(where + key + " must be a string, not " + value);
            return otherwise;
        }
        return value.asText();
    }

    private static boolean bool(JsonNode table, String key, boolean otherwise, String where, List<String> errors) {
        JsonNode value = table.get(key);
        if (value == null) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            errors.add(where + key + " must be true or false, not " + value);
            return otherwise;
        }
        return value.asBoolean();
    }
}

package io.replicator.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks every statement of a syntax tree against {@link Keywords}: unknown keywords (with a "did you mean"),
 * keywords in the wrong section, options not supported yet, and values (ranges, enum values, units, flags).
 * Problems are collected, never thrown, so that one run reports them all; structure is {@link StructureValidator}'s.
 */
final class ConfigValidator {
    private final List<ConfigError> errors;
    private final List<ConfigError> warnings;

    private ConfigValidator(List<ConfigError> errors, List<ConfigError> warnings) {
        this.errors = errors;
        this.warnings = warnings;
    }

    /** Adds the problems of {@code top} (a whole file's statements) to {@code errors} and {@code warnings}. */
    static void validate(List<ConfigNode> top, List<ConfigError> errors, List<ConfigError> warnings) {
        new ConfigValidator(errors, warnings).walk(top, SectionKind.TOP);
    }

    private void walk(List<ConfigNode> body, SectionKind kind) {
        for (ConfigNode node : body) {
            if (node instanceof ConfigNode.Section section) {
                section(section, kind);
            } else if (node instanceof ConfigNode.Parameter parameter) {
                parameter(parameter, kind);
            }
        }
    }

    private void section(ConfigNode.Section section, SectionKind parent) {
        String keyword = section.keyword();
        Optional<String> unsupported = Keywords.unsupportedSection(keyword);
        if (unsupported.isPresent()) {
            error(section.location(), "'" + keyword + "' is not supported yet by replicator: " + unsupported.get());
            return;
        }
        Optional<SectionKind> kind = Keywords.section(keyword);
        if (kind.isPresent() && Keywords.children(parent).contains(kind.get())) {
            arguments(section, kind.get());
            walk(section.body(), kind.get());
        } else if (kind.isPresent()) {
            error(section.location(), "'" + keyword + "' is not allowed in " + where(parent) + " (it belongs in "
                + parentsOf(kind.get()) + ")");
        } else if (Keywords.option(keyword).isPresent()) {
            error(section.location(), "'" + keyword + "' is an option, not a section: write '" + keyword
                + " VALUE;'");
        } else {
            unknown(keyword, section.location(), parent);
        }
    }

    private void arguments(ConfigNode.Section section, SectionKind kind) {
        int count = section.arguments().size();
        String problem = switch (kind) {
            case RESOURCE, VOLUME -> count == 1 ? null : "'" + section.keyword() + "' needs exactly one name";
            case ON -> count >= 1 ? null : "'on' needs a host name";
            case CONNECTION -> count <= 1 ? null : "'connection' takes at most one name";
            default -> count == 0 ? null : "'" + section.keyword() + "' takes no name, but got '"
                + String.join(" ", section.arguments()) + "'";
        };
        if (problem != null && kind != SectionKind.RESOURCE) {   // the resource reader reports its own
            error(section.location(), problem);
        }
    }

    private void parameter(ConfigNode.Parameter parameter, SectionKind kind) {
        String keyword = parameter.keyword();
        Optional<Option> negated = OptionValues.negated(parameter);
        Optional<Option> option = negated.isPresent() ? negated : Keywords.option(keyword);
        if (option.isPresent() && option.get().sections().contains(kind)) {
            check(parameter, option.get(), negated.isPresent());
        } else if (option.isPresent()) {
            error(parameter.location(), "'" + keyword + "' is not allowed in " + where(kind) + " (it belongs in "
                + option.get().sections().stream()
                    .filter(s -> s == SectionKind.NET || !option.get().sections().contains(SectionKind.NET))
                    .map(ConfigValidator::where).sorted().collect(Collectors.joining(" or ")) + ")");
        } else if (Keywords.section(keyword).isPresent() && kind != SectionKind.HANDLERS) {
            error(parameter.location(), "'" + keyword + "' is a section: write '" + keyword + " { ... }'");
        } else {
            unknown(keyword, parameter.location(), kind);
        }
    }

    private void check(ConfigNode.Parameter parameter, Option option, boolean negated) {
        if (option.support() == Support.NOT_SUPPORTED_YET) {
            error(parameter.location(), "'" + parameter.keyword() + "' is not supported yet by replicator");
            return;
        }
        if (negated) {
            if (!parameter.values().isEmpty()) {
                error(parameter.location(), "'" + parameter.keyword() + "' takes no value");
            }
            return;
        }
        Optional<String> problem = option.type().check(parameter.keyword(), parameter.values());
        if (problem.isPresent()) {
            error(parameter.location(), problem.get());
            return;
        }
        String value = parameter.values().isEmpty() ? "" : parameter.values().get(0);
        if (option == Keywords.READ_BALANCING && !value.equals("prefer-local")) {
            error(parameter.location(), "read-balancing '" + value + "' is not supported yet by replicator "
                + "(only prefer-local)");
        } else if (option == Keywords.TRANSPORT && !value.equals("tcp")) {
            error(parameter.location(), "transport '" + value + "' is not supported yet by replicator (only tcp)");
        } else if (option == Keywords.BECOME_PRIMARY_ON) {
            warnings.add(new ConfigError(parameter.location(), "'become-primary-on' is ignored, as DRBD 9 does: "
                + "promote with 'replicator primary RES' or let auto-promote do it"));
        }
    }

    private void unknown(String keyword, Location location, SectionKind kind) {
        List<String> candidates = new ArrayList<>(Keywords.valid(kind));
        String hint = Spelling.closest(keyword, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
        error(location, "unknown keyword '" + keyword + "' in " + where(kind) + hint);
    }

    private static String parentsOf(SectionKind child) {
        List<String> parents = new ArrayList<>();
        for (SectionKind parent : SectionKind.values()) {
            if (Keywords.children(parent).contains(child)) {
                parents.add(where(parent));
            }
        }
        return String.join(" or ", parents);
    }

    private static String where(SectionKind kind) {
        return kind == SectionKind.TOP ? "the top level" : "'" + kind.keyword() + "'";
    }

    private void error(Location location, String message) {
        errors.add(new ConfigError(location, message));
    }
}

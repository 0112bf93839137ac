package io.replicator.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The options written in the option sections ({@code net}, {@code disk}, ...) of one level, by canonical key:
 * {@code no-FLAG;} is filed under FLAG with "no", a bare {@code FLAG;} with "yes". Later statements win.
 */
final class OptionValues {
    private OptionValues() {
    }

    /** The options of the {@code kind} sections directly in {@code body}, key → statement. */
    static Map<String, ConfigNode.Parameter> in(List<ConfigNode> body, SectionKind kind) {
        Map<String, ConfigNode.Parameter> options = new LinkedHashMap<>();
        for (ConfigNode node : body) {
            if (node instanceof ConfigNode.Section section && section.keyword().equals(kind.keyword())) {
                for (ConfigNode option : section.body()) {
                    if (option instanceof ConfigNode.Parameter parameter) {
                        options.put(key(parameter), parameter);
                    }
                }
            }
        }
        return options;
    }

    /** The canonical key of {@code parameter}: {@code no-disk-flushes} → {@code disk-flushes}. */
    static String key(ConfigNode.Parameter parameter) {
        return negated(parameter).map(Option::key).orElse(parameter.keyword());
    }

    /** The flag that {@code parameter} switches off, if it is written {@code no-FLAG}. */
    static Optional<Option> negated(ConfigNode.Parameter parameter) {
        String keyword = parameter.keyword();
        if (!keyword.startsWith("no-") || Keywords.option(keyword).isPresent()) {
            return Optional.empty();
        }
        return Keywords.option(keyword.substring(3)).filter(Option::flag);
    }

    /** The value of {@code parameter} as dump writes it: flags as yes/no, words joined by one space. */
    static String value(ConfigNode.Parameter parameter) {
        if (negated(parameter).isPresent()) {
            return "no";
        }
        boolean flag = Keywords.option(parameter.keyword()).map(Option::flag).orElse(false);
        if (flag && parameter.values().isEmpty()) {
            return "yes";
        }
        String joined = String.join(" ", parameter.values());
        return flag ? joined.toLowerCase(Locale.ROOT) : joined;
    }

    /** {@code options} as key → normalised value. */
    static Map<String, String> values(Map<String, ConfigNode.Parameter> options) {
        Map<String, String> values = new LinkedHashMap<>();
        options.forEach((key, parameter) -> values.put(key, value(parameter)));
        return values;
    }
}

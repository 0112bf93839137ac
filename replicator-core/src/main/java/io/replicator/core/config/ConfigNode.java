package io.replicator.core.config;

import java.util.List;
import java.util.Optional;

/**
 * The syntax tree of the configuration language: every statement is either a section ({@code words { ... }}) or a
 * parameter ({@code words ;}). The tree knows nothing of which keywords exist; the model layer decides that.
 */
public sealed interface ConfigNode {
    /** The first word. */
    String keyword();

    /** Where the statement starts. */
    Location location();

    /**
     * A section: {@code keyword args... { body }}, e.g. {@code on alpha { ... }} or {@code volume 0 { ... }}.
     *
     * @param keyword   first word
     * @param arguments the words between the keyword and the brace
     * @param body      the statements inside
     * @param location  where the keyword is
     */
    record Section(String keyword, List<String> arguments, List<ConfigNode> body, Location location)
        implements ConfigNode {
        public Section {
            arguments = List.copyOf(arguments);
            body = List.copyOf(body);
        }

        /** The first argument, if any (the section's name). */
        public Optional<String> name() {
            return arguments.isEmpty() ? Optional.empty() : Optional.of(arguments.get(0));
        }
    }

    /**
     * A parameter: {@code keyword values... ;}.
     *
     * @param keyword  first word
     * @param values   the words or strings after it
     * @param location where the keyword is
     */
    record Parameter(String keyword, List<String> values, Location location) implements ConfigNode {
        public Parameter {
            values = List.copyOf(values);
        }
    }
}

package io.replicator.core.config;

import java.util.Set;

/**
 * One keyword of the configuration language that takes values ({@code KEY values;}).
 *
 * @param key          the keyword, e.g. "ping-timeout"
 * @param sections     where it may be written
 * @param type         what it takes
 * @param defaultValue the value in effect when it is not written, in its default unit ("" = unset)
 * @param support      whether the replicator honours it
 * @param extension    whether it is one of ours, unknown to drbdadm
 */
public record Option(String key, Set<SectionKind> sections, ValueType type, String defaultValue, Support support,
                     boolean extension) {
    public Option {
        sections = Set.copyOf(sections);
    }

    /** Whether it is a boolean, which also has the bare and {@code no-KEY} forms. */
    public boolean flag() {
        return type instanceof ValueType.Flag;
    }
}

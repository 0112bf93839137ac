package io.replicator.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options written at one level (key → value as written, flags as "yes"/"no"), read through the option table of
 * {@link Keywords}: an absent or invalid value reads as the option's default, because the validator has already
 * reported the invalid ones with their locations.
 *
 * @param written the written values by canonical key
 */
record WrittenValues(Map<String, String> written) {
    /** The written value of {@code option}, if there is one and it is valid. */
    Optional<String> valid(Option option) {
        String value = written.get(option.key());
        if (value == null || option.type().check(option.key(), List.of(value)).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** A number option's value in the option's default unit (e.g. KiB for a rate written "10M"). */
    long number(Option option) {
        ValueType.Number type = (ValueType.Number) option.type();
        return type.units(valid(option).orElse(option.defaultValue()));
    }

    /** A flag option's value. */
    boolean flag(Option option) {
        return valid(option).orElse(option.defaultValue()).equalsIgnoreCase("yes");
    }

    /** A choice option's value, as spelled in drbd.conf. */
    String choice(Option option) {
        return valid(option).orElse(option.defaultValue());
    }

    /** A text option's value, empty if it is not written. */
    Optional<String> text(Option option) {
        return valid(option);
    }
}

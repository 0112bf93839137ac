package io.replicator.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What values an option takes; {@link #check} gives drbdadm-worded complaints about a written value. */
public sealed interface ValueType {
    /**
     * The problem with {@code values} written for option {@code key}, if any.
     *
     * @param key    the option as written (for the message)
     * @param values the words after the keyword
     */
    Optional<String> check(String key, List<String> values);

    /** How the type reads in the documentation. */
    String describe();

    /**
     * One of a fixed set of words.
     *
     * @param values     allowed spellings, in drbdadm's order
     * @param ignoreCase whether {@code c} means {@code C} (drbdadm accepts either for protocol)
     * @param prefix     a further allowed prefix (e.g. {@code discard-node-}), or empty
     * @param maxNumber  numbers 1..maxNumber are allowed too (quorum); 0 = no numbers
     */
    record Choice(List<String> values, boolean ignoreCase, String prefix, int maxNumber) implements ValueType {
        public Choice {
            values = List.copyOf(values);
        }

        static Choice of(String... values) {
            return new Choice(List.of(values), false, "", 0);
        }

        @Override
        public Optional<String> check(String key, List<String> written) {
            if (written.size() != 1) {
                return Optional.of("'" + key + "' takes exactly one value. Allowed values are: " + allowed());
            }
            String value = written.get(0);
            boolean ok = values.stream().anyMatch(v -> ignoreCase ? v.equalsIgnoreCase(value) : v.equals(value))
                || (!prefix.isEmpty() && value.startsWith(prefix) && value.length() > prefix.length())
                || (maxNumber > 0 && value.matches("[1-9][0-9]?") && Integer.parseInt(value) <= maxNumber);
            return ok ? Optional.empty()
                : Optional.of(key + " '" + value + "' is not allowed. Allowed values are: " + allowed());
        }

        private String allowed() {
            return String.join(", ", values) + (prefix.isEmpty() ? "" : ", " + prefix + "NODE")
                + (maxNumber == 0 ? "" : ", 1.." + maxNumber);
        }

        @Override
        public String describe() {
            return String.join(" \\| ", values) + (prefix.isEmpty() ? "" : " \\| " + prefix + "NODE")
                + (maxNumber == 0 ? "" : " \\| 1.." + maxNumber);
        }
    }

    /**
     * A number with an optional unit suffix, checked against a range in the option's default unit.
     *
     * @param min      smallest allowed value, in units
     * @param max      largest allowed value, in units
     * @param unit     bytes per unit for the suffix conversion (1 for plain counts and times)
     * @param unitName the default unit as the documentation names it (e.g. "KiB/s", "0.1 s")
     */
    record Number(long min, long max, long unit, String unitName) implements ValueType {
        @Override
        public Optional<String> check(String key, List<String> written) {
            if (written.size() != 1) {
                return Optional.of("'" + key + "' takes exactly one number");
            }
            String text = written.get(0);
            try {
                long value = units(text);
                if (value < min || value > max) {
                    return Optional.of(key + " " + text + " => " + value + " out of range [" + min + ".." + max + "]");
                }
                return Optional.empty();
            } catch (IllegalArgumentException bad) {
                return Optional.of(key + ": " + bad.getMessage());
            }
        }

        /** The value of {@code text} in this option's unit, rounding a suffixed value up. */
        public long units(String text) {
            long scaled = ScaledNumber.parse(text, unit);
            return scaled / unit + (scaled % unit == 0 ? 0 : 1);
        }

        @Override
        public String describe() {
            return min + ".." + max + (unitName.isEmpty() ? "" : " " + unitName);
        }
    }

    /** A boolean: {@code yes|no}; a bare {@code KEY;} means yes and {@code no-KEY;} means no. */
    record Flag() implements ValueType {
        @Override
        public Optional<String> check(String key, List<String> written) {
            if (written.isEmpty()) {
                return Optional.empty();
            }
            if (written.size() == 1) {
                String value = written.get(0).toLowerCase(Locale.ROOT);
                if (value.equals("yes") || value.equals("no")) {
                    return Optional.empty();
                }
            }
            return Optional.of(key + " '" + String.join(" ", written) + "' is not allowed. Allowed values are: yes, no");
        }

        @Override
        public String describe() {
            return "yes \\| no";
        }
    }

    /**
     * One word or quoted string.
     *
     * @param maxLength the longest allowed value (0 = no limit)
     */
    record Text(int maxLength) implements ValueType {
        @Override
        public Optional<String> check(String key, List<String> written) {
            if (written.size() != 1) {
                return Optional.of("'" + key + "' takes exactly one value (quote it if it contains spaces)");
            }
            if (maxLength > 0 && written.get(0).length() > maxLength) {
                return Optional.of(key + " is " + written.get(0).length() + " characters long; at most "
                    + maxLength + " are allowed");
            }
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "string";
        }
    }

    /** Words whose meaning the structure check decides (device, address, meta-disk, host, hosts, ...). */
    record Structural(String syntax) implements ValueType {
        @Override
        public Optional<String> check(String key, List<String> written) {
            return written.isEmpty() ? Optional.of("'" + key + "' needs a value: " + key + " " + syntax)
                : Optional.empty();
        }

        @Override
        public String describe() {
            return syntax;
        }
    }
}

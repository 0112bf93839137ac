package io.replicator.cli.daemon;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The flags of one request, checked: bare switches ({@code --force}) and the {@code --name=value} options that its
 * verb takes ({@code invalidate --reset-bitmap=no}, {@code verify --start=S --stop=S}). The CLI checks the same
 * values with the same parsers before it sends them; the daemon checks again, since anything that can reach the
 * socket can send a request.
 */
public final class RequestFlags {
    private static final Set<String> SWITCHES = Set.of("--force", "--discard-my-data", "--clear-bitmap", "--json",
        "--verbose", "--statistics", "--now", "--timestamps");
    private static final Map<String, Set<String>> VALUE_OPTIONS = Map.of(
        "invalidate", Set.of("--reset-bitmap"),
        "invalidate-remote", Set.of("--reset-bitmap"),
        "verify", Set.of("--start", "--stop"));
    private static final long MAX_SECTORS = Long.MAX_VALUE >> 9;

    private final Set<String> switches;
    private final Map<String, String> values;

    private RequestFlags(Set<String> switches, Map<String, String> values) {
        this.switches = switches;
        this.values = values;
    }

    /**
     * Checks {@code flags} for {@code verb}.
     *
     * @throws IllegalArgumentException naming the flag that is unknown, repeated or has a bad value
     */
    public static RequestFlags parse(String verb, List<String> flags) {
        Set<String> switches = new HashSet<>();
        Map<String, String> values = new HashMap<>();
        Set<String> allowed = VALUE_OPTIONS.getOrDefault(verb, Set.of());
        for (String flag : flags) {
            int equals = flag.indexOf('=');
            if (equals < 0) {
                if (!SWITCHES.contains(flag)) {
                    throw new IllegalArgumentException(allowed.contains(flag)
                        ? "option '" + flag + "' needs a value (" + flag + "=VALUE)"
                        : "unknown option '" + flag + "'");
                }
                switches.add(flag);
                continue;
            }
            String name = flag.substring(0, equals);
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "'");
            }
            if (values.putIfAbsent(name, flag.substring(equals + 1)) != null) {
                throw new IllegalArgumentException("option '" + name + "' is given more than once");
            }
        }
        RequestFlags parsed = new RequestFlags(switches, values);
        parsed.resetBitmap();
        checkRange(parsed.startSector(), parsed.stopSector());
        return parsed;
    }

    /** Whether the bare switch {@code name} was given. */
    public boolean has(String name) {
        return switches.contains(name);
    }

    /** {@code --reset-bitmap}: true unless {@code =no} was given. */
    public boolean resetBitmap() {
        String value = values.get("--reset-bitmap");
        return value == null || option("--reset-bitmap", () -> parseYesNo(value));
    }

    /** {@code --start}, in 512-byte sectors. */
    public OptionalLong startSector() {
        String value = values.get("--start");
        return value == null ? OptionalLong.empty() : OptionalLong.of(option("--start", () -> parseSectors(value)));
    }

    /** {@code --stop}, in 512-byte sectors. */
    public OptionalLong stopSector() {
        String value = values.get("--stop");
        return value == null ? OptionalLong.empty() : OptionalLong.of(option("--stop", () -> parseSectors(value)));
    }

    /**
     * {@code yes} or {@code no} (drbdsetup's boolean spelling; {@code true}/{@code false} and {@code on}/{@code off}
     * are accepted as well).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static boolean parseYesNo(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new IllegalArgumentException("expected yes or no, not '" + value + "'");
        };
    }

    /**
     * A position on the disk as drbdsetup takes it: a number of 512-byte sectors, or a size with a unit ({@code s}
     * sectors, {@code k} KiB, {@code M} MiB, {@code G} GiB, {@code T} TiB) that is converted to sectors.
     *
     * @throws IllegalArgumentException for anything that is not a non-negative whole number of sectors
     */
    public static long parseSectors(String value) {
        String text = value.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a sector number is required");
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("'" + value + "' is negative; sectors count from 0");
        }
        char last = text.charAt(text.length() - 1);
        String digits = Character.isDigit(last) ? text : text.substring(0, text.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + value
                + "' is not a number of 512-byte sectors (e.g. 2048, or 1M)");
        }
        int shift = Character.isDigit(last) ? 0 : switch (last) {
            case 's', 'S' -> 0;
            case 'k', 'K' -> 1;
            case 'm', 'M' -> 11;
            case 'g', 'G' -> 21;
            case 't', 'T' -> 31;
            default -> throw new IllegalArgumentException("unknown unit '" + last + "' in '" + value
                + "'; use a number of 512-byte sectors, or a size with s, k, M, G or T");
        };
        long number;
        try {
            number = Long.parseLong(digits);
        } catch (NumberFormatException tooLong) {
            throw new IllegalArgumentException("'" + value + "' is too large");
        }
        if (number > (MAX_SECTORS >> shift)) {
            throw new IllegalArgumentException("'" + value + "' is too large");
        }
        return number << shift;
    }

    /** Runs {@code parse}, naming {@code name} in its error. */
    private static <T> T option(String name, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException(name + ": " + bad.getMessage(), bad);
        }
    }

    /**
     * Checks that a verify range is not empty.
     *
     * @throws IllegalArgumentException when both ends are given and start is not before stop
     */
    public static void checkRange(OptionalLong startSector, OptionalLong stopSector) {
        if (startSector.isPresent() && stopSector.isPresent()
            && startSector.getAsLong() >= stopSector.getAsLong()) {
            throw new IllegalArgumentException("--start (sector " + startSector.getAsLong()
                + ") must be before --stop (sector " + stopSector.getAsLong() + ")");
        }
    }
}

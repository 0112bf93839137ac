package io.replicator.core.state;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Looks up enum constants by the names DRBD prints for them ({@code drbd_strings.c}). */
final class DrbdSpelling<E extends Enum<E>> {
    private final String kind;
    private final Map<String, E> byName;

    DrbdSpelling(String kind, E[] values, Function<E, String> name) {
        this.kind = kind;
        this.byName = new HashMap<>();
        for (E value : values) {
            byName.put(name.apply(value), value);
        }
    }

    /** The constant spelled {@code name}, exactly as DRBD prints it (case-sensitive). */
    E parse(String name) {
        E value = byName.get(name);
        if (value == null) {
            throw new IllegalArgumentException("unknown " + kind + ": " + name);
        }
        return value;
    }
}

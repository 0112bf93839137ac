package io.replicator.core.metadata;

import java.util.Locale;

/** A named bit of an on-disk flags word. */
public interface BitFlag {
    /** The flag's bit in the flags word. */
    int mask();

    /** The constant's name, as an enum provides it. */
    String name();

    /** Whether {@code flags} has this flag set. */
    default boolean isSet(int flags) {
        return (flags & mask()) != 0;
    }

    /** The flags set in {@code flags}, as lower-case names joined by {@code |}, or "none". */
    static String describe(int flags, BitFlag[] all) {
        StringBuilder text = new StringBuilder();
        for (BitFlag flag : all) {
            if (flag.isSet(flags)) {
                text.append(text.length() == 0 ? "" : "|").append(flag.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}

package io.replicator.net.protocol;

import java.util.Locale;

/** Compression of data frame payloads on the wire ({@code compression}). */
public enum Compression {
    NONE,
    /** LZ4 block compression, used for a block only when it shrinks to at most 7/8 of its size. */
    LZ4;

    /**
     * The compression for a {@code compression} value as {@code NetConfig.compression()} spells it: "lz4" or "none"
     * (any case).
     *
     * @throws IllegalArgumentException for any other value
     */
    public static Compression of(String compression) {
        return switch (compression.trim().toLowerCase(Locale.ROOT)) {
            case "lz4" -> LZ4;
            case "none", "" -> NONE;
            default -> throw new IllegalArgumentException("unsupported compression '" + compression
                + "': use lz4 or none");
        };
    }
}

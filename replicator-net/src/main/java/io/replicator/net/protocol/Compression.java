package io.replicator.net.protocol;

/** Compression of data frame payloads on the wire ({@code compression}). */
public enum Compression {
    NONE,
    /** LZ4 block compression, used for a block only when it shrinks to at most 7/8 of its size. */
    LZ4
}

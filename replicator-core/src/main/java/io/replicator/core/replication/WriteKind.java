package io.replicator.core.replication;

/** What a replicated write does to its range. */
public enum WriteKind {
    /** Writes the request's payload. */
    DATA,
    /** Makes the range read back as zeros (a discard of a thin-capable device). */
    DISCARD,
    /** Writes zeros over the range. */
    ZEROES
}

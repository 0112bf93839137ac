package io.replicator.core.volume;

/** How a volume makes writes durable. */
public enum Durability {
    /** Writes go to the page cache; {@link Volume#flush()} forces them (fdatasync). The default. */
    FORCE,
    /** Every write is synchronous (O_DSYNC); {@link Volume#flush()} has nothing left to do. */
    DSYNC
}

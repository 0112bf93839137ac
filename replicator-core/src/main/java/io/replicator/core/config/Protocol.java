package io.replicator.core.config;

/** When a replicated write completes ({@code net { protocol }}). */
public enum Protocol {
    /** After the local write and the hand-over to the network. */
    A,
    /** After the local write and the peer's receipt. */
    B,
    /** After the local write and the peer's write (the default). */
    C
}

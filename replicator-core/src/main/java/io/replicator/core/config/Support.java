package io.replicator.core.config;

/** Whether the replicator honours a keyword, or rejects it with "not supported yet" (never ignores it silently). */
public enum Support {
    /** Implemented, or scheduled in one of the product's open issues. */
    SUPPORTED,
    /** Accepted by drbdadm but not planned soon here: a configuration using it is rejected. */
    NOT_SUPPORTED_YET
}

package io.replicator.core.state;

import java.util.Set;

/**
 * The role of a node for one resource: only a Primary may write (drbd.md §8, §10).
 *
 * <pre>
 *   Unknown ----> Secondary <----> Primary
 *      ^              |               |
 *      +--------------+---------------+
 * </pre>
 *
 * <p>Unknown is only ever a peer's role, seen while the connection is down; it is left as soon as the peer reports
 * its role. A peer may also appear as Primary directly (it was promoted while disconnected).
 */
public enum Role {
    /** The node may write; with {@code allow-two-primaries} there may be two. */
    PRIMARY("Primary"),
    /** The node only receives replicated writes. */
    SECONDARY("Secondary"),
    /** The role of a peer that is not connected. */
    UNKNOWN("Unknown");

    private static final DrbdSpelling<Role> SPELLING = new DrbdSpelling<>("role", values(), Role::drbdName);
    private static final TransitionTable<Role> TRANSITIONS = TransitionTable.builder(Role.class)
        .allow(PRIMARY, SECONDARY, UNKNOWN)
        .allow(SECONDARY, PRIMARY, UNKNOWN)
        .allow(UNKNOWN, PRIMARY, SECONDARY)
        .build();

    private final String drbdName;

    Role(String drbdName) {
        this.drbdName = drbdName;
    }

    /** The name DRBD prints, e.g. {@code Primary}. */
    public String drbdName() {
        return drbdName;
    }

    /** The role spelled {@code name} as DRBD prints it; throws {@link IllegalArgumentException} if none. */
    public static Role parse(String name) {
        return SPELLING.parse(name);
    }

    /** Whether a role may change from {@code from} to {@code to}; staying in a role is not a transition. */
    public static boolean isValid(Role from, Role to) {
        return TRANSITIONS.isValid(from, to);
    }

    /** The roles from which this one may be entered. */
    public Set<Role> predecessors() {
        return TRANSITIONS.predecessors(this);
    }
}

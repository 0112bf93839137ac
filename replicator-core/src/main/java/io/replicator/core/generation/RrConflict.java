package io.replicator.core.generation;

/**
 * {@code rr-conflict}: what happens when the connect-time decision would make a Primary whose disk is at least
 * Consistent the sync target, i.e. overwrite data an application is using (drbd.md §5).
 */
public enum RrConflict {
    /** Refuse: drop the connection (StandAlone). */
    DISCONNECT("disconnect"),
    /** Drop the connection and connect again at once. */
    RETRY_CONNECT("retry-connect"),
    /** Resync onto the Primary anyway, "violating the stable-data assumption". */
    VIOLENTLY("violently"),
    /** Run the {@code pri-lost} handler on the Primary, then drop the connection. */
    CALL_PRI_LOST("call-pri-lost"),
    /**
     * Only for a decision of the crashed-primary rule: reverse it, so the current Primary is source and the crashed
     * Primary's unreplicated tail is rolled back; any other decision is refused as by {@link #DISCONNECT}.
     */
    AUTO_DISCARD("auto-discard");

    private final String drbdName;

    RrConflict(String drbdName) {
        this.drbdName = drbdName;
    }

    /** The spelling in drbd.conf. */
    public String drbdName() {
        return drbdName;
    }

    /**
     * The policy spelled {@code value} in drbd.conf.
     *
     * @throws IllegalArgumentException if {@code value} is not an rr-conflict value
     */
    public static RrConflict parse(String value) {
        for (RrConflict policy : values()) {
            if (policy.drbdName.equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("rr-conflict '" + value + "' is not an rr-conflict value");
    }
}

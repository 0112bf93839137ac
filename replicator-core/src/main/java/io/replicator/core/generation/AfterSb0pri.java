package io.replicator.core.generation;

/**
 * {@code after-sb-0pri}: how an auto-recoverable split brain is resolved when neither node is Primary now
 * (drbd.md §5; DRBD {@code drbd_asb_recover_0p}). The after-sb-1pri and after-sb-2pri policies that "take the 0pri
 * result" use this one too. "Changes" are the dirty bits each side holds toward the other.
 */
public enum AfterSb0pri {
    /** No automatic resolution. */
    DISCONNECT("disconnect"),
    /**
     * The node that was already Primary at the split keeps its data (its younger rival is discarded); if both or
     * neither were, as {@link #DISCARD_OLDER_PRIMARY}.
     */
    DISCARD_YOUNGER_PRIMARY("discard-younger-primary"),
    /**
     * The node that was Primary at the split is discarded; if both or neither were, as
     * {@link #DISCARD_LEAST_CHANGES} ("did not find a decision, using discard-least-changes").
     */
    DISCARD_OLDER_PRIMARY("discard-older-primary"),
    /**
     * If exactly one side wrote, the other is discarded; if nobody wrote, the holder of RESOLVE_CONFLICTS is
     * discarded; if both wrote, no resolution.
     */
    DISCARD_ZERO_CHANGES("discard-zero-changes"),
    /** The side with fewer changes is discarded; on a tie the holder of RESOLVE_CONFLICTS. */
    DISCARD_LEAST_CHANGES("discard-least-changes"),
    /** This node is discarded (drbdadm's {@code discard-node-NAME} on node NAME). */
    DISCARD_LOCAL("discard-local"),
    /** The peer is discarded ({@code discard-node-NAME} on every node but NAME). */
    DISCARD_REMOTE("discard-remote");

    private final String drbdName;

    AfterSb0pri(String drbdName) {
        this.drbdName = drbdName;
    }

    /** The spelling in drbd.conf. */
    public String drbdName() {
        return drbdName;
    }

    /**
     * The policy spelled {@code value} in drbd.conf, as seen by node {@code selfName}: {@code discard-node-NAME}
     * discards the named node, so it is {@link #DISCARD_LOCAL} on that node and {@link #DISCARD_REMOTE} elsewhere.
     *
     * @throws IllegalArgumentException if {@code value} is not an after-sb-0pri value
     */
    public static AfterSb0pri parse(String value, String selfName) {
        if (value.startsWith("discard-node-") && value.length() > "discard-node-".length()) {
            return value.substring("discard-node-".length()).equals(selfName) ? DISCARD_LOCAL : DISCARD_REMOTE;
        }
        for (AfterSb0pri policy : values()) {
            if (policy.drbdName.equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("after-sb-0pri '" + value + "' is not an after-sb-0pri value");
    }

    /** The same policy as the peer holds it: discard-local and discard-remote swap, the others are symmetric. */
    public AfterSb0pri mirror() {
        return switch (this) {
            case DISCARD_LOCAL -> DISCARD_REMOTE;
            case DISCARD_REMOTE -> DISCARD_LOCAL;
            default -> this;
        };
    }
}

package io.replicator.core.generation;

/**
 * {@code after-sb-2pri}: how an auto-recoverable split brain is resolved when both nodes are Primary now
 * (drbd.md §5; DRBD {@code drbd_asb_recover_2p}).
 */
public enum AfterSb2pri {
    /** No automatic resolution. */
    DISCONNECT("disconnect"),
    /** Always take the {@link AfterSb0pri} result, although it discards a live Primary's data. */
    VIOLENTLY_AS0P("violently-as0p"),
    /**
     * Take the {@link AfterSb0pri} result; the discarded Primary demotes itself and, if it cannot, runs the
     * {@code pri-lost-after-sb} handler.
     */
    CALL_PRI_LOST_AFTER_SB("call-pri-lost-after-sb");

    private final String drbdName;

    AfterSb2pri(String drbdName) {
        this.drbdName = drbdName;
    }

    /** The spelling in drbd.conf. */
    public String drbdName() {
        return drbdName;
    }

    /**
     * The policy spelled {@code value} in drbd.conf.
     *
     * @throws IllegalArgumentException if {@code value} is not an after-sb-2pri value
     */
    public static AfterSb2pri parse(String value) {
        for (AfterSb2pri policy : values()) {
            if (policy.drbdName.equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("after-sb-2pri '" + value + "' is not an after-sb-2pri value");
    }
}

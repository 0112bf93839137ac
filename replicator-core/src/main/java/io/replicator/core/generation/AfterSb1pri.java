package io.replicator.core.generation;

/**
 * {@code after-sb-1pri}: how an auto-recoverable split brain is resolved when exactly one node is Primary now
 * (drbd.md §5; DRBD {@code drbd_asb_recover_1p}).
 */
public enum AfterSb1pri {
    /** No automatic resolution. */
    DISCONNECT("disconnect"),
    /** Take the {@link AfterSb0pri} result only if it discards the Secondary; otherwise no resolution. */
    CONSENSUS("consensus"),
    /** Always take the {@link AfterSb0pri} result, even if it discards the live Primary's data. */
    VIOLENTLY_AS0P("violently-as0p"),
    /** The Primary always keeps its data. */
    DISCARD_SECONDARY("discard-secondary"),
    /**
     * Take the {@link AfterSb0pri} result; if it discards the Primary, that node demotes itself and, if it cannot,
     * runs the {@code pri-lost-after-sb} handler (which should reboot it).
     */
    CALL_PRI_LOST_AFTER_SB("call-pri-lost-after-sb");

    private final String drbdName;

    AfterSb1pri(String drbdName) {
        this.drbdName = drbdName;
    }

    /** The spelling in drbd.conf. */
    public String drbdName() {
        return drbdName;
    }

    /**
     * The policy spelled {@code value} in drbd.conf.
     *
     * @throws IllegalArgumentException if {@code value} is not an after-sb-1pri value
     */
    public static AfterSb1pri parse(String value) {
        for (AfterSb1pri policy : values()) {
            if (policy.drbdName.equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("after-sb-1pri '" + value + "' is not an after-sb-1pri value");
    }
}

package io.replicator.core.config;

/**
 * {@code options { }} of a resource.
 *
 * @param autoPromote {@code auto-promote}: become primary on first open for writing
 * @param quorum      {@code quorum}: off, majority, all, or a node count
 * @param onNoQuorum  {@code on-no-quorum}: suspend-io or io-error
 * @param quorumMinimumRedundancy {@code quorum-minimum-redundancy}: off, majority, all, or a node count
 * @param onSuspendedPrimaryOutdated {@code on-suspended-primary-outdated}: disconnect or force-secondary
 * @param autoPromoteTimeoutMs {@code auto-promote-timeout}: how long an attach that would auto-promote waits for the
 *                             promotion to become possible before it is refused
 */
public record ResourceOptions(boolean autoPromote, String quorum, String onNoQuorum, String quorumMinimumRedundancy,
                              String onSuspendedPrimaryOutdated, long autoPromoteTimeoutMs) {
    /** Nothing written. */
    public static final ResourceOptions DEFAULT = new ResourceOptions(true, "off", "suspend-io", "off", "disconnect",
        2000);

    /** These options with {@code quorum} and {@code on-no-quorum} replaced. */
    public ResourceOptions withQuorum(String value, String onLoss) {
        return new ResourceOptions(autoPromote, value, onLoss, quorumMinimumRedundancy, onSuspendedPrimaryOutdated,
            autoPromoteTimeoutMs);
    }

    /** Whether a Primary that lost quorum fails its writes at once ({@code on-no-quorum io-error}) or holds them. */
    public boolean failsIoWithoutQuorum() {
        return onNoQuorum.equals("io-error");
    }

    /** Whether a Primary without quorum demotes when a newer partition makes it sync target. */
    public boolean forceSecondaryWhenOutdated() {
        return onSuspendedPrimaryOutdated.equals("force-secondary");
    }
}

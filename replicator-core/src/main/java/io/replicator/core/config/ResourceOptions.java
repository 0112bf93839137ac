package io.replicator.core.config;

/**
 * {@code options { }} of a resource.
 *
 * @param autoPromote {@code auto-promote}: become primary on first open for writing
 * @param quorum      {@code quorum}: off, majority, all, or a node count
 * @param onNoQuorum  {@code on-no-quorum}: suspend-io or io-error
 */
public record ResourceOptions(boolean autoPromote, String quorum, String onNoQuorum) {
    /** Nothing written. */
    public static final ResourceOptions DEFAULT = new ResourceOptions(true, "off", "suspend-io");
}

package io.replicator.core.config;

/**
 * {@code startup { }}: how long {@code wait-connect} and the start-up wait for peers; 0 = forever.
 *
 * @param wfcTimeoutSec         {@code wfc-timeout}
 * @param degrWfcTimeoutSec     {@code degr-wfc-timeout}: when the node was part of a degraded cluster
 * @param outdatedWfcTimeoutSec {@code outdated-wfc-timeout}: when the peer was outdated
 * @param waitAfterSb           {@code wait-after-sb}: keep waiting after a split brain was detected
 */
public record StartupConfig(long wfcTimeoutSec, long degrWfcTimeoutSec, long outdatedWfcTimeoutSec,
                            boolean waitAfterSb) {
    /** Nothing written: wait forever. */
    public static final StartupConfig DEFAULT = new StartupConfig(0, 0, 0, false);
}

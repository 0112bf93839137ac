package io.replicator.core.resync;

/**
 * Decides how much a resync or verify may request in one step (about every 100 ms): DRBD's fixed rate or its dynamic
 * controller ({@code ResyncController}).
 */
@FunctionalInterface
public interface Pacer {
    /**
     * The bytes to request in the step starting at {@code nowNanos}.
     *
     * @param nowNanos         monotonic time
     * @param bytesInFlight    requested and not yet answered
     * @param bytesCameBack    answered since the previous step
     */
    long bytesToRequest(long nowNanos, long bytesInFlight, long bytesCameBack);
}

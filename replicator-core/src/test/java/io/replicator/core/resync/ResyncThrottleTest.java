package io.replicator.core.resync;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResyncThrottleTest {
    private static final long MIN = 250 * 1024;
    private static final long FAST = 10 * MIN;
    private static final long BUSY = ResyncController.FOREIGN_IO_THRESHOLD_BYTES + 1;

    @Test
    void theFirstLookOnlyTakesTheBaseline() {
        ResyncThrottle throttle = new ResyncThrottle();
        assertThat(throttle.shouldThrottle(MIN, FAST, 1_000_000, 7)).isFalse();
        assertThat(throttle.shouldThrottle(MIN, FAST, 1_000_000, 7)).isFalse();
    }

    @Test
    void foreignIoAboveTheThresholdThrottlesAFastResyncOnly() {
        ResyncThrottle throttle = new ResyncThrottle();
        throttle.shouldThrottle(MIN, FAST, 0, 0);
        assertThat(throttle.shouldThrottle(MIN, FAST, BUSY, 0)).isTrue();
        // Idle again: nothing new since the busy mark.
        assertThat(throttle.shouldThrottle(MIN, FAST, BUSY, 0)).isFalse();
        // Busy, but the resync is already at or below c-min-rate: never starved below it.
        assertThat(throttle.shouldThrottle(MIN, MIN, 2 * BUSY + 1, 0)).isFalse();
    }

    @Test
    void smallIoAccumulatesUntilItCrossesTheThreshold() {
        ResyncThrottle throttle = new ResyncThrottle();
        throttle.shouldThrottle(MIN, FAST, 0, 0);
        long step = ResyncController.FOREIGN_IO_THRESHOLD_BYTES / 2;
        assertThat(throttle.shouldThrottle(MIN, FAST, step, 0)).isFalse();
        assertThat(throttle.shouldThrottle(MIN, FAST, 2 * step, 0)).isFalse();
        assertThat(throttle.shouldThrottle(MIN, FAST, 2 * step + 1, 0)).isTrue();
    }

    @Test
    void applicationWritesWaitingForTheActivityLogThrottle() {
        ResyncThrottle throttle = new ResyncThrottle();
        throttle.shouldThrottle(MIN, FAST, 0, 3);
        assertThat(throttle.shouldThrottle(MIN, FAST, 0, 4)).isTrue();
        assertThat(throttle.shouldThrottle(MIN, FAST, 0, 4)).isFalse();
    }

    @Test
    void cMinRateZeroNeverThrottles() {
        ResyncThrottle throttle = new ResyncThrottle();
        throttle.shouldThrottle(0, FAST, 0, 0);
        assertThat(throttle.shouldThrottle(0, FAST, 10 * BUSY, 9)).isFalse();
    }
}

package io.replicator.core.resync;

import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.config.ResyncOptions;
import io.replicator.core.testing.SeededTries;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The resync rate controller: the fixed rate exactly; the dynamic controller against a simulated link (a
 * deterministic loop, {@link Link}); the clamps; and the c-min-rate throttle.
 */
@Timeout(10)
class ResyncControllerTest {
    private static final long MIB = 1L << 20;
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final int MAX_BUFFERS = 131072;

    @Test
    void fixedRate_requestsResyncRateTimesElapsedTime_evenWithIrregularCalls() {
        ResyncController controller = new ResyncController(options(10 * MIB, 0, 10, 0, 100 * MIB), MAX_BUFFERS);
        long[] gapsMs = {100, 73, 131, 100, 99, 1, 200, 96};
        long now = 0;
        long total = controller.bytesToRequest(now, 0, 0);
        long elapsed = ResyncController.STEP_NS;    // the first call counts as one step
        for (int round = 0; round < 50; round++) {
            for (long gap : gapsMs) {
                now += gap * MS;
                elapsed += gap * MS;
                total += controller.bytesToRequest(now, 0, 0);
            }
        }

        assertThat(total).isEqualTo(10 * MIB * elapsed / SECOND);
    }

    @Test
    void fixedRate_oneStepIsResyncRateTimesAHundredMilliseconds() {
        ResyncController controller = new ResyncController(options(250 * 1024, 0, 10, 0, 100 * MIB), MAX_BUFFERS);

        controller.bytesToRequest(0, 0, 0);
        assertThat(controller.bytesToRequest(100 * MS, 0, 0)).isEqualTo(25_600);
    }

    @Test
    void fixedRate_keepsInFlightAtHalfOfMaxBuffers() {
        ResyncController controller = new ResyncController(options(100 * MIB, 0, 10, 0, 100 * MIB), 64);

        assertThat(controller.bytesToRequest(0, 0, 0)).isEqualTo(32 * 4096);
        assertThat(controller.bytesToRequest(100 * MS, 30 * 4096, 0)).isEqualTo(2 * 4096);
        assertThat(controller.bytesToRequest(200 * MS, 40 * 4096, 0)).isZero();
    }

    @Test
    void dynamic_startsWithResyncRatePerStep() {
        ResyncOptions options = options(10 * MIB, 20, 10, 0, 100 * MIB);
        ResyncController controller = new ResyncController(options, MAX_BUFFERS);

        assertThat(controller.bytesToRequest(0, 0, 0)).isEqualTo(MIB);
        assertThat(controller.plannedBytes()).isEqualTo(19 * MIB);
    }

    @Test
    void dynamic_fillTarget_fillsALinkWithoutExceedingCMaxRate_andKeepsInFlightNearTheTarget() {
        long fillTarget = 8 * MIB;
        ResyncOptions options = options(10 * MIB, 20, 10, fillTarget, 200 * MIB);
        Link link = new Link(100 * MIB, 20 * MS);

        Link.Run run = link.drive(new ResyncController(options, MAX_BUFFERS), 20 * SECOND, 200 * MIB);

        assertThat(run.throughputLastHalf()).isGreaterThanOrEqualTo(0.9 * 100 * MIB);
        assertThat(run.maxRequestRate()).isLessThanOrEqualTo(200.0 * MIB);
        assertThat(run.meanInFlightLastHalf()).isBetween(0.8 * fillTarget, 1.2 * fillTarget);
    }

    @Test
    void dynamic_delayTarget_fillsALink_andKeepsThroughputTimesDelayInFlight() {
        long delayTargetNs = 5 * 100 * MS;
        ResyncOptions options = options(10 * MIB, 20, 5, 0, 200 * MIB);
        Link link = new Link(100 * MIB, 20 * MS);

        Link.Run run = link.drive(new ResyncController(options, MAX_BUFFERS), 20 * SECOND, 200 * MIB);

        assertThat(run.throughputLastHalf()).isGreaterThanOrEqualTo(0.9 * 100 * MIB);
        double expectedInFlight = run.throughputLastHalf() * delayTargetNs / SECOND;
        assertThat(run.meanInFlightLastHalf()).isBetween(0.8 * expectedInFlight, 1.2 * expectedInFlight);
    }

    @Test
    void dynamic_isCappedByCMaxRate_onALinkFasterThanIt() {
        ResyncOptions options = options(10 * MIB, 20, 10, 64 * MIB, 50 * MIB);
        Link link = new Link(400 * MIB, 2 * MS);

        Link.Run run = link.drive(new ResyncController(options, MAX_BUFFERS), 10 * SECOND, 50 * MIB);

        assertThat(run.maxRequestRate()).isLessThanOrEqualTo(50.0 * MIB);
        // The window's edges cut requests in half, hence the 1 % above the cap.
        assertThat(run.throughputLastHalf()).isBetween(0.9 * 50 * MIB, 1.01 * 50 * MIB);
    }

    @Test
    void dynamic_keepsInFlightAtHalfOfMaxBuffers() {
        ResyncOptions options = options(10 * MIB, 20, 10, 64 * MIB, 200 * MIB);
        Link link = new Link(100 * MIB, 20 * MS);

        Link.Run run = link.drive(new ResyncController(options, 2048), 10 * SECOND, 200 * MIB);

        assertThat(run.maxInFlight()).isLessThanOrEqualTo(1024 * 4096);
    }

    /** Random inputs to the controller: c-plan-ahead in 0.1 s, the rest in bytes and nanoseconds. */
    record Inputs(int planAhead, long fillTarget, long cameBackEach, long inFlight, long gapNs) {
    }

    @Test
    void neverNegativeAndWithinTheClamps() {
        SeededTries.check(300, List.of(
                new Inputs(0, 0, 0, 0, 0),
                new Inputs(30, 4 * MIB, 2 * MIB, 64 * MIB, 3 * SECOND),
                new Inputs(0, 4 * MIB, 2 * MIB, 64 * MIB, 3 * SECOND),
                new Inputs(30, 0, 0, 0, 0),
                new Inputs(30, 0, 2 * MIB, 64 * MIB, 1),
                new Inputs(1, 1, 1, 1, 1),
                new Inputs(20, 4 * MIB, 0, 64 * MIB, SECOND)),
            random -> new Inputs(random.nextInt(31), random.nextLong(4 * MIB + 1), random.nextLong(2 * MIB + 1),
                random.nextLong(64 * MIB + 1), random.nextLong(3 * SECOND + 1)),
            inputs -> {
                ResyncController controller = new ResyncController(
                    options(4 * MIB, inputs.planAhead(), 10, inputs.fillTarget(), 50 * MIB), 4096);
                long gapNs = inputs.gapNs();
                long now = 0;
                for (int i = 0; i < 40; i++) {
                    long flying = (inputs.inFlight() * (i % 7)) / 6;
                    long requested = controller.bytesToRequest(now, flying, i % 3 == 0 ? 0 : inputs.cameBackEach());
                    long elapsed = i == 0 ? ResyncController.STEP_NS : Math.max(1, Math.min(gapNs, SECOND));
                    assertThat(requested).isNotNegative();
                    assertThat(requested).isLessThanOrEqualTo(Math.max(0, 2048L * 4096 - flying));
                    assertThat(requested).isLessThanOrEqualTo(
                        Math.max(4 * MIB, 50 * MIB) * elapsed / SECOND + 1);
                    now += gapNs;
                }
            });
    }

    @Test
    void cMinRate_zero_disablesTheThrottle() {
        assertThat(ResyncController.shouldThrottle(0, 100 * MIB, true, 100 * MIB)).isFalse();
    }

    @Test
    void cMinRate_throttles_whenTheApplicationUsesTheDiskAndTheResyncIsFasterThanCMinRate() {
        assertThat(ResyncController.shouldThrottle(250 * 1024, 64 * 512 + 1, false, 10 * MIB)).isTrue();
        assertThat(ResyncController.shouldThrottle(250 * 1024, 0, true, 10 * MIB)).isTrue();
    }

    @Test
    void cMinRate_doesNotThrottle_whenTheDiskIsIdleOrTheResyncIsAtOrBelowCMinRate() {
        assertThat(ResyncController.shouldThrottle(250 * 1024, 64 * 512, false, 10 * MIB)).isFalse();
        assertThat(ResyncController.shouldThrottle(250 * 1024, 10 * MIB, true, 250 * 1024)).isFalse();
    }

    /** Options in drbd.conf's units for the times: c-plan-ahead and c-delay-target in 0.1 s. */
    private static ResyncOptions options(long resyncRate, int planAheadTenths, int delayTargetTenths,
            long fillTargetBytes, long maxRate) {
        return new ResyncOptions(resyncRate, planAheadTenths * ResyncOptions.DECISECOND_NS,
            delayTargetTenths * ResyncOptions.DECISECOND_NS, fillTargetBytes, maxRate, 250 * 1024, Optional.empty());
    }

    /**
     * A deterministic link in 1 ms ticks: a request reaches the sync source after half the round trip and joins its
     * send queue, which drains at the link's bandwidth; each byte sent arrives back after the other half. The
     * controller is called every 100 ms, with a deterministic jitter of ±10 ms. The mean in flight is sampled at
     * each call before its request, after the answers have come back: the level the controller steers (DRBD's
     * {@code rs_in_flight} after subtracting {@code sect_in}).
     *
     * @param bandwidthBytesPerSec the bottleneck (the source's reply direction)
     * @param rttNs                the round-trip time
     */
    private record Link(long bandwidthBytesPerSec, long rttNs) {
        record Run(double throughputLastHalf, double meanInFlightLastHalf, double maxRequestRate, long maxInFlight) {
        }

        Run drive(ResyncController controller, long durationNs, long cMaxRate) {
            int ticks = (int) (durationNs / MS);
            int halfRttTicks = (int) (rttNs / MS / 2);
            long[] arrivingAtSource = new long[ticks + halfRttTicks + 1];
            long[] arrivingBack = new long[ticks + halfRttTicks + 1];
            long perTick = bandwidthBytesPerSec / 1000;
            long sourceQueue = 0;
            long inFlight = 0;
            long cameBack = 0;
            long lastCall = -1;
            long nextCall = 0;
            int calls = 0;
            long backInLastHalf = 0;
            double inFlightSum = 0;
            int inFlightSamples = 0;
            double maxRequestRate = 0;
            long maxInFlight = 0;
            for (int t = 0; t < ticks; t++) {
                long now = t * MS;
                sourceQueue += arrivingAtSource[t];
                long sent = Math.min(sourceQueue, perTick);
                sourceQueue -= sent;
                arrivingBack[t + halfRttTicks] += sent;
                long back = arrivingBack[t];
                cameBack += back;
                inFlight -= back;
                if (t >= ticks / 2) {
                    backInLastHalf += back;
                }
                if (now >= nextCall) {
                    if (t >= ticks / 2) {
                        inFlightSum += inFlight;
                        inFlightSamples++;
                    }
                    long requested = controller.bytesToRequest(now, inFlight, cameBack);
                    long elapsed = lastCall < 0 ? ResyncController.STEP_NS : now - lastCall;
                    maxRequestRate = Math.max(maxRequestRate, (double) requested * SECOND / elapsed);
                    inFlight += requested;
                    maxInFlight = Math.max(maxInFlight, inFlight);
                    arrivingAtSource[t + halfRttTicks] += requested;
                    cameBack = 0;
                    lastCall = now;
                    calls++;
                    nextCall = now + (90 + (calls * 7) % 21) * MS;
                }
            }
            double seconds = (ticks - ticks / 2) / 1000.0;
            assertThat(maxRequestRate).isLessThanOrEqualTo(cMaxRate + 1.0);
            return new Run(backInLastHalf / seconds, inFlightSum / inFlightSamples, maxRequestRate, maxInFlight);
        }
    }
}

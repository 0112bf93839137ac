package io.replicator.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The resync options of one volume toward its peers ({@code disk { }} options that DRBD 9 calls peer-device options),
 * typed and in named units: rates in bytes per second, times in nanoseconds, the fill target in bytes. drbd.conf
 * writes rates in KiB/s, {@code c-plan-ahead} and {@code c-delay-target} in 0.1 s and {@code c-fill-target} in
 * sectors; {@link #of} converts.
 *
 * <p>How the resync controller uses them (drbd.md §7, "Rate control"): with {@code c-plan-ahead} 0 the resync runs
 * at the fixed {@code resync-rate}; otherwise the dynamic controller plans {@link #planAheadSteps()} steps of 100 ms
 * ahead and keeps {@code c-fill-target} bytes in flight, or, when that is 0, the bytes that {@code c-delay-target} of
 * the measured throughput amounts to; it never requests faster than {@code c-max-rate}. {@code resync-rate} is then
 * only the start-up estimate.
 *
 * @param resyncRateBytesPerSec {@code resync-rate}: the fixed rate, and the dynamic controller's first guess
 * @param cPlanAheadNs          {@code c-plan-ahead}: how far the dynamic controller plans; 0 selects the fixed rate
 * @param cDelayTargetNs        {@code c-delay-target}: the delay a request may spend in flight, in delay-target mode
 * @param cFillTargetBytes      {@code c-fill-target}: the bytes to keep in flight; 0 selects delay-target mode
 * @param cMaxRateBytesPerSec   {@code c-max-rate}: the dynamic controller's ceiling; 0 means no ceiling
 * @param cMinRateBytesPerSec   {@code c-min-rate}: below this rate the resync is never throttled for application
 *                              I/O; 0 disables that throttle
 * @param resyncAfter           {@code resync-after}: the resource (or {@code resource/volume}) whose resync must
 *                              finish before this one starts; empty for DRBD's "-1" (none)
 */
public record ResyncOptions(long resyncRateBytesPerSec, long cPlanAheadNs, long cDelayTargetNs, long cFillTargetBytes,
                            long cMaxRateBytesPerSec, long cMinRateBytesPerSec, Optional<String> resyncAfter) {
    /** drbd.conf's time unit for {@code c-plan-ahead} and {@code c-delay-target}, and the controller's step. */
    public static final long DECISECOND_NS = 100_000_000L;

    /** Nothing written: every option at its {@link Keywords} default. */
    public static final ResyncOptions DEFAULT = of(Map.of());

    public ResyncOptions {
        Objects.requireNonNull(resyncAfter, "resyncAfter");
        if (resyncRateBytesPerSec <= 0) {
            throw new IllegalArgumentException("resync-rate must be positive: " + resyncRateBytesPerSec);
        }
        if (cPlanAheadNs < 0 || cDelayTargetNs <= 0 || cFillTargetBytes < 0 || cMaxRateBytesPerSec < 0
            || cMinRateBytesPerSec < 0) {
            throw new IllegalArgumentException("negative resync option (or c-delay-target 0): " + cPlanAheadNs + ", "
                + cDelayTargetNs + ", " + cFillTargetBytes + ", " + cMaxRateBytesPerSec + ", " + cMinRateBytesPerSec);
        }
    }

    /**
     * The resync options from {@code written} (canonical key → value as written); absent or invalid values take the
     * {@link Keywords} default (the validator reports invalid ones).
     */
    public static ResyncOptions of(Map<String, String> written) {
        WrittenValues v = new WrittenValues(written);
        String after = v.text(Keywords.RESYNC_AFTER).orElse(Keywords.RESYNC_AFTER.defaultValue());
        return new ResyncOptions(
            v.number(Keywords.RESYNC_RATE) * ScaledNumber.KIB,
            v.number(Keywords.C_PLAN_AHEAD) * DECISECOND_NS,
            v.number(Keywords.C_DELAY_TARGET) * DECISECOND_NS,
            v.number(Keywords.C_FILL_TARGET) * ScaledNumber.SECTOR,
            v.number(Keywords.C_MAX_RATE) * ScaledNumber.KIB,
            v.number(Keywords.C_MIN_RATE) * ScaledNumber.KIB,
            after.equals("-1") || after.isEmpty() ? Optional.empty() : Optional.of(after));
    }

    /** Whether the dynamic controller runs ({@code c-plan-ahead} > 0) rather than the fixed rate. */
    public boolean dynamic() {
        return cPlanAheadNs > 0;
    }

    /** The dynamic controller's plan length in 100 ms steps ({@code c-plan-ahead} as written); 0 in fixed mode. */
    public int planAheadSteps() {
        return (int) (cPlanAheadNs / DECISECOND_NS);
    }
}

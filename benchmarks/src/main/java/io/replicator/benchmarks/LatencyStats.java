package io.replicator.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Per-block latencies of one run, summarized as mean and percentiles in microseconds (nearest-rank). */
final class LatencyStats {
    private final long[] nanos;
    private int count;

    LatencyStats(long capacity) {
        if (capacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many blocks to keep each latency: " + capacity);
        }
        this.nanos = new long[(int) capacity];
    }

    void record(long latencyNs) {
        nanos[count++] = latencyNs;
    }

    /** {@code "latency_us":{...}} for the JSON line. */
    String json() {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        double mean = count == 0 ? 0 : Arrays.stream(sorted).average().orElse(0) / 1000.0;
        return String.format(Locale.ROOT, "\"latency_us\":{\"count\":%d,\"mean\":%.1f,\"p50\":%.1f,\"p90\":%.1f,"
                + "\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f}", count, mean, percentile(sorted, 50),
            percentile(sorted, 90), percentile(sorted, 99), percentile(sorted, 99.9),
            count == 0 ? 0 : sorted[count - 1] / 1000.0);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
    }
}

package io.replicator.benchmarks.report;

import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;

/** Number formatting for the generated tables (always with '.' as the decimal point). */
final class Fmt {
    private Fmt() {
    }

    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static DoubleFunction<String> fixed(int decimals) {
        return v -> fixed(v, decimals);
    }

    /** Three significant figures or more: 1634, 44.5, 1.56. */
    static String num(double v) {
        double a = Math.abs(v);
        return fixed(v, a >= 100 ? 0 : a >= 10 ? 1 : 2);
    }

    /** "1634 (963–1636)" with a spread, else "1634". */
    static String spread(Measurement m, DoubleFunction<String> f) {
        String median = f.apply(m.median());
        return m.hasSpread() ? median + " (" + f.apply(m.min()) + "–" + f.apply(m.max()) + ")" : median;
    }

    /** Every repetition in run order, "2.377, 1.537, 1.560"; only the median when that is all there is. */
    static String runs(Measurement m, DoubleFunction<String> f) {
        if (m.values().isEmpty()) {
            return f.apply(m.median()) + " (median only)";
        }
        return m.values().stream().map(v -> f.apply(v)).collect(Collectors.joining(", "));
    }

    /** 0.9, 1.3, 20: no trailing zeros. */
    static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static String ratio(double r) {
        return fixed(r, 2);
    }

    static String times(double r) {
        return fixed(r, r >= 10 ? 1 : 2) + "x";
    }

    /** "4G" → "4 GiB", "256M" → "256 MiB"; anything else unchanged. */
    static String iec(String size) {
        if (size == null) {
            return null;
        }
        String s = size.trim();
        if (s.matches("\\d+[KMGT]")) {
            return s.substring(0, s.length() - 1) + " " + s.charAt(s.length() - 1) + "iB";
        }
        return s;
    }
}

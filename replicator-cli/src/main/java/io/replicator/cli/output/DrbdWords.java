package io.replicator.cli.output;

import java.util.List;
import java.util.Locale;

/** The small spellings drbdsetup uses in every format: yes/no, comma lists with "no" for none, two decimals. */
final class DrbdWords {
    private DrbdWords() {
    }

    static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    /** {@code user,quorum}, or {@code no} for an empty list. */
    static String listOrNo(List<String> reasons) {
        return reasons.isEmpty() ? "no" : String.join(",", reasons);
    }

    /** {@code %.2f} in the C locale. */
    static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}

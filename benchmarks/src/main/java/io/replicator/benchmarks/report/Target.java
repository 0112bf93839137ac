package io.replicator.benchmarks.report;

/** A target ratio of an issue: at least or at most {@code value}. */
record Target(boolean atLeast, double value) {

    static Target atLeast(double value) {
        return new Target(true, value);
    }

    static Target atMost(double value) {
        return new Target(false, value);
    }

    boolean met(double ratio) {
        return atLeast ? ratio >= value : ratio <= value;
    }

    String text() {
        return (atLeast ? "≥ " : "≤ ") + Fmt.plain(value);
    }

    String verdict(double ratio) {
        return met(ratio) ? "met" : "**missed**";
    }
}

package io.replicator.benchmarks.report;

import java.util.List;

/**
 * A bar chart: one bar per category and series, and horizontal reference lines (targets) drawn across it.
 *
 * @param file        the PNG's file name
 * @param title       the chart's title
 * @param yAxis       the value axis' title (with its unit)
 * @param categories  the groups along the x axis
 * @param series      the bars of each category; each has a value per category
 * @param lines       horizontal lines (targets), each named under the x axis
 * @param logarithmic  a logarithmic value axis (values must be positive)
 * @param valuePattern the {@link java.text.DecimalFormat} pattern of the value axis and the bars' labels
 */
public record ChartSpec(String file, String title, String yAxis, List<String> categories, List<Series> series,
                        List<Line> lines, boolean logarithmic, String valuePattern) {

    public ChartSpec {
        if (!file.endsWith(".png")) {
            throw new IllegalArgumentException("a chart is a .png file: " + file);
        }
        categories = List.copyOf(categories);
        series = List.copyOf(series);
        lines = List.copyOf(lines);
        if (categories.isEmpty() || series.isEmpty()) {
            throw new IllegalArgumentException(file + ": a chart needs categories and series");
        }
        for (Series s : series) {
            if (s.values().size() != categories.size()) {
                throw new IllegalArgumentException(file + ": series '" + s.name() + "' has " + s.values().size()
                    + " values for " + categories.size() + " categories");
            }
            if (logarithmic && s.values().stream().anyMatch(v -> v <= 0)) {
                throw new IllegalArgumentException(file + ": a logarithmic axis needs positive values");
            }
        }
    }

    /** The bars of one series, a value per category. */
    public record Series(String name, List<Double> values) {
        public Series {
            values = List.copyOf(values);
        }
    }

    /** A horizontal line at {@code y} (a target), named under the x axis. */
    public record Line(String name, double y) {
    }
}

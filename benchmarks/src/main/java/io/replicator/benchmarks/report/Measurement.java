package io.replicator.benchmarks.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One measured quantity of a run: the value of every repetition, in the order they ran. A result seeded from an
 * older hand-written table may only know the median ({@code recordedMedian}); when both are present the recorded
 * median wins (it is what was published) and {@code note} says why.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Measurement(
    List<Double> values,
    @JsonProperty("median") Double recordedMedian,
    String note) {

    public Measurement {
        values = values == null ? List.of() : List.copyOf(values);
        if (values.isEmpty() && recordedMedian == null) {
            throw new IllegalArgumentException("a measurement needs its values or a recorded median");
        }
    }

    public static Measurement of(double... values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return new Measurement(list, null, null);
    }

    public static Measurement medianOnly(double median, String note) {
        return new Measurement(List.of(), median, note);
    }

    /** The recorded median, else the median of the values (the mean of the middle two for an even count). */
    @JsonIgnore
    public double median() {
        if (recordedMedian != null) {
            return recordedMedian;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** More than one value: there is a spread to show. */
    @JsonIgnore
    public boolean hasSpread() {
        return values.size() > 1;
    }

    @JsonIgnore
    public double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(median());
    }

    @JsonIgnore
    public double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(median());
    }
}

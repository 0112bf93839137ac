package io.replicator.benchmarks.report;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every comparison of one results file, at most one run per comparison name. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Results(int schema, List<ComparisonRun> comparisons) {
    public static final int SCHEMA = 1;

    public Results {
        if (schema != SCHEMA) {
            throw new IllegalArgumentException("results schema " + schema + ", this report reads " + SCHEMA);
        }
        comparisons = comparisons == null ? List.of() : List.copyOf(comparisons);
        for (int i = 0; i < comparisons.size(); i++) {
            for (int j = i + 1; j < comparisons.size(); j++) {
                if (comparisons.get(i).name().equals(comparisons.get(j).name())) {
                    throw new IllegalArgumentException("two runs of " + comparisons.get(i).name());
                }
            }
        }
    }

    public static Results of(List<ComparisonRun> comparisons) {
        return new Results(SCHEMA, comparisons);
    }

    public Optional<ComparisonRun> comparison(String name) {
        return comparisons.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** These results with every comparison of {@code newer} replacing the one of the same name (or added). */
    public Results merge(Results newer) {
        List<ComparisonRun> merged = new ArrayList<>();
        for (ComparisonRun c : comparisons) {
            merged.add(newer.comparison(c.name()).orElse(c));
        }
        for (ComparisonRun c : newer.comparisons()) {
            if (comparison(c.name()).isEmpty()) {
                merged.add(c);
            }
        }
        return of(merged);
    }

    public boolean anyQuick() {
        return comparisons.stream().anyMatch(ComparisonRun::quick);
    }
}

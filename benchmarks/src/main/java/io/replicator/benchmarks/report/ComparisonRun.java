package io.replicator.benchmarks.report;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One end-to-end comparison as one script measured it in one run: {@code name} is the comparison ("nbd",
 * "nbd-daemon", "replication", "resync"), {@code run} says which run this is in words, {@code measurements} maps the
 * script's measurement names to their values, {@code parameters} holds the script's knobs and settings.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ComparisonRun(
    String name,
    String run,
    String date,
    boolean quick,
    String source,
    String commit,
    Machine machine,
    Map<String, String> parameters,
    List<String> notes,
    Map<String, Measurement> measurements) {

    public ComparisonRun {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a comparison needs a name");
        }
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        notes = notes == null ? List.of() : List.copyOf(notes);
        measurements = measurements == null ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(measurements));
    }

    public Optional<Measurement> get(String id) {
        return Optional.ofNullable(measurements.get(id));
    }

    public boolean has(String... ids) {
        for (String id : ids) {
            if (!measurements.containsKey(id)) {
                return false;
            }
        }
        return true;
    }

    /** The median of a measurement that must be there. */
    public double median(String id) {
        Measurement m = measurements.get(id);
        if (m == null) {
            throw new IllegalArgumentException(name + ": no measurement " + id);
        }
        return m.median();
    }
}

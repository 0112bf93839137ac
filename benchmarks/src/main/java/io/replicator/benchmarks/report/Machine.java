package io.replicator.benchmarks.report;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run ran: CPU model, cores, memory, kernel, JDK, the load average when it started, and the versions of the
 * tools it measured against (fio, nbdkit, rsync). Fields a seeded result does not know are null.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Machine(
    String cpu,
    Integer cores,
    String memory,
    String kernel,
    String jdk,
    String loadAverage,
    Map<String, String> tools,
    String note) {

    public Machine {
        // In the given order: Map.copyOf's order changes from one JVM to the next, and so would results.json.
        tools = tools == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tools));
    }

    /** One line for a table cell. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        append(s, cores == null ? null : cores + " cores");
        append(s, cpu);
        append(s, memory == null ? null : memory + " RAM");
        append(s, kernel == null ? null : "kernel " + kernel);
        append(s, jdk);
        append(s, loadAverage == null ? null : "load " + loadAverage + " at start");
        append(s, note);
        return s.toString();
    }

    private static void append(StringBuilder s, String part) {
        if (part != null && !part.isBlank()) {
            s.append(s.length() == 0 ? "" : ", ").append(part);
        }
    }
}

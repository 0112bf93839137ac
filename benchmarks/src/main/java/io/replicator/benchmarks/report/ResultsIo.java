package io.replicator.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes results files, and collects one from a run-all output directory:
 * <pre>
 * OUTDIR/machine.json            the machine ({@link Machine})
 * OUTDIR/NAME/results.jsonl      one {"name": ..., "value": ...} line per repetition of a measurement (the scripts')
 * OUTDIR/NAME/run.env            KEY=VALUE lines of run-all: exit (the script's exit code), seconds, started, knobs
 * OUTDIR/NAME/parameters.json    optional: the script's own knobs and settings, {"key": "text"}
 * </pre>
 */
public final class ResultsIo {
    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsIo() {
    }

    public static Results read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Results.class);
    }

    public static void write(Results results, Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(results) + "\n");
    }

    public static Machine readMachine(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Machine.class);
    }

    public static void writeMachine(Machine machine, Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(machine) + "\n");
    }

    /** What {@link #collect} found: the results, and why any comparison directory was left out. */
    public record Collected(Results results, List<String> problems) {
    }

    /**
     * Collects the comparisons of {@code outDir} in {@code order}; a comparison whose script failed or recorded
     * nothing is left out and named in {@link Collected#problems()}.
     */
    public static Collected collect(Path outDir, List<String> order, boolean quick, String run, String date,
        String commit) throws IOException {
        Path machineFile = outDir.resolve("machine.json");
        Machine machine = Files.exists(machineFile) ? readMachine(machineFile) : null;
        List<ComparisonRun> runs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : order) {
            Path dir = outDir.resolve(name);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            Map<String, String> env = readEnv(dir.resolve("run.env"));
            String exit = env.remove("exit");
            if (exit != null && !exit.equals("0")) {
                problems.add(name + ": the script exited with " + exit + " (see " + dir.resolve("output.txt") + ")");
                continue;
            }
            Map<String, Measurement> measurements = readJsonl(dir.resolve("results.jsonl"));
            if (measurements.isEmpty()) {
                problems.add(name + ": no results in " + dir.resolve("results.jsonl"));
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>(env);
            Path settings = dir.resolve("parameters.json");
            if (Files.exists(settings)) {
                JsonNode node = JSON.readTree(settings.toFile());
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    parameters.put(e.getKey(), e.getValue().asText());
                }
            }
            runs.add(new ComparisonRun(name, run, date, quick, "measured by benchmarks/run-all.sh", commit, machine, parameters,
                List.of(), measurements));
        }
        return new Collected(Results.of(runs), problems);
    }

    /** The values of each measurement name in file order; null values (a figure the script could not read) skipped. */
    static Map<String, Measurement> readJsonl(Path file) throws IOException {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return Map.of();
        }
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new IOException(file + ":" + lineNo + ": not JSON: " + line, e);
            }
            JsonNode name = node.get("name");
            JsonNode value = node.get("value");
            if (name == null || !name.isTextual()) {
                throw new IOException(file + ":" + lineNo + ": no \"name\": " + line);
            }
            List<Double> list = values.computeIfAbsent(name.asText(), k -> new ArrayList<>());
            if (value != null && value.isNumber()) {
                list.add(value.asDouble());
            }
        }
        Map<String, Measurement> measurements = new LinkedHashMap<>();
        values.forEach((name, list) -> {
            if (!list.isEmpty()) {
                measurements.put(name, new Measurement(list, null, null));
            }
        });
        return measurements;
    }

    static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return env;
        }
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return env;
    }
}

package io.replicator.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report half of {@code benchmarks/run-all.sh} (the scripts measure; this collects, tabulates and draws).
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.replicator.benchmarks.report.ReportMain COMMAND ...
 *   machine OUT.json [--tool NAME=VERSION]...     this machine: CPU, cores, memory, kernel, JDK, load average
 *   collect OUTDIR [--quick] [--run TEXT] [--date YYYY-MM-DD] [--commit SHA]
 *                                                 OUTDIR/NAME/results.jsonl of each script -> OUTDIR/results.json
 *   render RESULTS.json OUTDIR                    OUTDIR/report.md and OUTDIR/img/*.png (never touches the docs)
 *   update-docs RESULTS.json [--docs docs/benchmarks.md] [--img docs/img] [--store docs/benchmark-results.json]
 *               [--allow-quick]                   merges RESULTS into the store, rewrites the generated blocks of
 *                                                 the document and its PNGs; refuses quick results unless allowed
 *   check-docs [--docs docs/benchmarks.md] [--store docs/benchmark-results.json]
 *                                                 exit 1 if the document's blocks differ from what the store gives
 * </pre>
 * Exit codes: 0 done, 1 a check failed or the input is wrong, 2 usage, 3 quick results refused.
 */
public final class ReportMain {
    static final String DOCS = "docs/benchmarks.md";
    static final String IMG = "docs/img";
    static final String STORE = "docs/benchmark-results.json";

    private ReportMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("report: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args) throws IOException {
        if (args.length == 0) {
            return usage("say machine, collect, render, update-docs or check-docs");
        }
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick") || a.equals("--allow-quick")) {
                options.computeIfAbsent(a, k -> new ArrayList<>()).add("");
            } else if (a.startsWith("--")) {
                if (i + 1 >= args.length) {
                    return usage(a + " needs a value");
                }
                options.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
            } else {
                positional.add(a);
            }
        }
        switch (args[0]) {
            case "machine":
                return machine(positional, options);
            case "collect":
                return collect(positional, options);
            case "render":
                return render(positional);
            case "update-docs":
                return updateDocs(positional, options);
            case "check-docs":
                return checkDocs(options);
            default:
                return usage("unknown command " + args[0]);
        }
    }

    private static int usage(String problem) {
        System.err.println("report: " + problem);
        System.err.println("usage: ReportMain machine OUT.json [--tool NAME=VERSION]...\n"
            + "       ReportMain collect OUTDIR [--quick] [--run TEXT] [--date YYYY-MM-DD] [--commit SHA]\n"
            + "       ReportMain render RESULTS.json OUTDIR\n"
            + "       ReportMain update-docs RESULTS.json [--docs F] [--img DIR] [--store F] [--allow-quick]\n"
            + "       ReportMain check-docs [--docs F] [--store F]");
        return 2;
    }

    private static String option(Map<String, List<String>> options, String name, String fallback) {
        List<String> values = options.get(name);
        return values == null ? fallback : values.get(values.size() - 1);
    }

    private static int machine(List<String> positional, Map<String, List<String>> options) throws IOException {
        if (positional.size() != 1) {
            return usage("machine OUT.json");
        }
        Map<String, String> tools = new LinkedHashMap<>();
        for (String tool : options.getOrDefault("--tool", List.of())) {
            int eq = tool.indexOf('=');
            if (eq > 0 && !tool.substring(eq + 1).isBlank()) {
                tools.put(tool.substring(0, eq), tool.substring(eq + 1).strip());
            }
        }
        Machine machine = new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), memory(),
            System.getProperty("os.version"), System.getProperty("java.vm.name") + " "
            + System.getProperty("java.runtime.version"), loadAverage(), tools, null);
        ResultsIo.writeMachine(machine, Path.of(positional.get(0)));
        System.out.println("machine: " + machine.summary());
        return 0;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux: leave it out
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: leave it out
        }
        return null;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static int collect(List<String> positional, Map<String, List<String>> options) throws IOException {
        if (positional.size() != 1) {
            return usage("collect OUTDIR");
        }
        Path out = Path.of(positional.get(0));
        boolean quick = options.containsKey("--quick");
        String date = option(options, "--date", LocalDate.now().toString());
        String run = option(options, "--run", quick ? "quick run" : "full run");
        ResultsIo.Collected collected = ResultsIo.collect(out, Report.COMPARISONS, quick, run, date,
            option(options, "--commit", null));
        for (String problem : collected.problems()) {
            System.err.println("report: left out " + problem);
        }
        if (collected.results().comparisons().isEmpty()) {
            System.err.println("report: no results in " + out);
            return 1;
        }
        Path file = out.resolve("results.json");
        ResultsIo.write(collected.results(), file);
        System.out.println("wrote " + file + " (" + collected.results().comparisons().size() + " comparisons)");
        return collected.problems().isEmpty() ? 0 : 1;
    }

    private static int render(List<String> positional) throws IOException {
        if (positional.size() != 2) {
            return usage("render RESULTS.json OUTDIR");
        }
        Report report = new Report(ResultsIo.read(Path.of(positional.get(0))));
        Path out = Path.of(positional.get(1));
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.md"), report.standalone("img/"));
        List<Path> charts = report.writeCharts(out.resolve("img"));
        System.out.println("wrote " + out.resolve("report.md") + " and " + charts.size() + " charts in "
            + out.resolve("img"));
        return 0;
    }

    private static int updateDocs(List<String> positional, Map<String, List<String>> options) throws IOException {
        if (positional.size() != 1) {
            return usage("update-docs RESULTS.json");
        }
        Path input = Path.of(positional.get(0));
        Path docs = Path.of(option(options, "--docs", DOCS));
        Path img = Path.of(option(options, "--img", IMG));
        Path store = Path.of(option(options, "--store", STORE));
        Results results = ResultsIo.read(input);
        if (results.anyQuick() && !options.containsKey("--allow-quick")) {
            System.err.println("report: " + input + " holds quick results; they are not written into " + docs
                + " (pass --allow-quick to force it)");
            return 3;
        }
        Results merged = Files.exists(store) && !Files.isSameFile(store, input)
            ? ResultsIo.read(store).merge(results) : results;
        Report report = new Report(merged);
        Path docsDir = docs.toAbsolutePath().getParent();
        String link = docsDir.relativize(img.toAbsolutePath()).toString().replace('\\', '/') + "/";
        String doc = Files.readString(docs);
        String updated;
        try {
            updated = DocUpdater.replaceAll(doc, report.blocks(link));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(docs + ": " + e.getMessage(), e);
        }
        List<Path> charts = report.writeCharts(img);
        if (!Files.exists(store) || !Files.isSameFile(store, input)) {
            ResultsIo.write(merged, store);
        }
        if (!updated.equals(doc)) {
            Files.writeString(docs, updated);
        }
        System.out.println("updated " + docs + " (" + (updated.equals(doc) ? "unchanged" : "changed") + "), "
            + charts.size() + " charts in " + img + ", results in " + store);
        return 0;
    }

    private static int checkDocs(Map<String, List<String>> options) throws IOException {
        Path docs = Path.of(option(options, "--docs", DOCS));
        Path store = Path.of(option(options, "--store", STORE));
        String link = option(options, "--link", "img/");
        String doc = Files.readString(docs);
        String expected = DocUpdater.replaceAll(doc, new Report(ResultsIo.read(store)).blocks(link));
        if (!expected.equals(doc)) {
            System.err.println("report: the generated blocks of " + docs + " differ from what " + store
                + " gives: run benchmarks/run-all.sh --report-only " + store);
            return 1;
        }
        System.out.println(docs + " is up to date with " + store);
        return 0;
    }
}

package io.replicator.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything generated from one results file: the Markdown blocks of docs/benchmarks.md by marker name, and the
 * charts. Blocks: "runs" (which run each section shows, on what machine), one per comparison present, and
 * "nbd-charts" (the charts of both NBD comparisons).
 */
public final class Report {
    /** The comparisons in the order run-all.sh runs them and the document shows them. */
    public static final List<String> COMPARISONS = List.of(NbdSection.FRONT_END, NbdSection.DAEMON,
        ReplicationSection.NAME, ResyncSection.NAME);
    public static final String RUNS = "runs";

    private final Results results;
    private final List<Section> sections = List.of(NbdSection.frontEnd(), NbdSection.daemon(),
        new ReplicationSection(), new ResyncSection());

    public Report(Results results) {
        for (ComparisonRun run : results.comparisons()) {
            if (!COMPARISONS.contains(run.name())) {
                throw new IllegalArgumentException("unknown comparison '" + run.name() + "'; known: " + COMPARISONS);
            }
        }
        this.results = results;
    }

    /** The blocks, by marker name; {@code img} is the chart directory as the document links it ("img/"). */
    public Map<String, String> blocks(String img) {
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put(RUNS, runs());
        for (Section section : sections) {
            results.comparison(section.name()).ifPresent(run ->
                blocks.put(section.name(), section.markdown(run, results, img)));
        }
        if (results.comparison(NbdSection.FRONT_END).isPresent() || results.comparison(NbdSection.DAEMON).isPresent()) {
            blocks.put(NbdSection.CHARTS, NbdSection.chartsMarkdown(results, img));
        }
        return blocks;
    }

    public List<ChartSpec> charts() {
        List<ChartSpec> charts = new ArrayList<>(NbdSection.charts(results, NbdSection.frontEnd(),
            NbdSection.daemon()));
        for (Section section : sections) {
            charts.addAll(section.charts(results));
        }
        return charts;
    }

    /** Writes every chart into {@code dir}; returns the files. */
    public List<Path> writeCharts(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (ChartSpec chart : charts()) {
            files.add(ChartWriter.write(chart, dir));
        }
        return files;
    }

    /** One Markdown document with every block, for a run's output directory. */
    public String standalone(String img) {
        StringBuilder s = new StringBuilder("# Benchmark report\n\n");
        for (Map.Entry<String, String> block : blocks(img).entrySet()) {
            String title = block.getKey().equals(RUNS) ? "Runs and machines"
                : block.getKey().equals(NbdSection.CHARTS) ? "NBD charts"
                : sections.stream().filter(x -> x.name().equals(block.getKey())).findFirst().map(Section::title)
                    .orElse(block.getKey());
            s.append("## ").append(title).append("\n\n").append(block.getValue().strip()).append("\n\n");
        }
        return s.toString();
    }

    private String runs() {
        Table table = new Table("section", "run shown", "date", "commit", "machine");
        for (Section section : sections) {
            results.comparison(section.name()).ifPresent(run -> table.row(section.title(),
                (run.quick() ? "**quick** " : "") + (run.run() == null ? "" : run.run()),
                run.date() == null ? "" : run.date(), run.commit() == null ? "" : run.commit(),
                run.machine() == null ? "" : run.machine().summary()));
        }
        return table.isEmpty() ? "_No results yet._\n" : TableWriter.markdown(table);
    }
}

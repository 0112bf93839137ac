package io.replicator.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/**
 * NBD export against nbdkit (single node, no peer): {@code benchmarks/nbd-vs-nbdkit.sh} ("nbd": the front end
 * alone, server "ours") and {@code benchmarks/nbd-daemon-vs-nbdkit.sh} ("nbd-daemon": the daemon's export, server
 * "daemon"). Measurement names: {@code WORKLOAD-SERVER-METRIC}, e.g. {@code seqwrite-1m-qd8-ours-mib-per-s}.
 */
final class NbdSection implements Section {
    static final String FRONT_END = "nbd";
    static final String DAEMON = "nbd-daemon";
    static final String CHARTS = "nbd-charts";

    record Row(String workload, String label, String metric, String unit, Target target, String chartLabel) {
    }

    static final List<Row> ROWS = List.of(
        new Row("seqwrite-1m-qd8", "1 MiB sequential write, iodepth 8", "mib-per-s", "MiB/s", Target.atLeast(0.9),
            "1 MiB seq. write, qd 8"),
        new Row("randwrite-4k-qd32", "4 KiB random write, iodepth 32", "iops", "IOPS", Target.atLeast(0.9),
            "4 KiB rand. write, qd 32"),
        new Row("randwrite-4k-qd1", "4 KiB random write, iodepth 1", "iops", "IOPS", null, "4 KiB rand. write, qd 1"),
        new Row("randwrite-4k-qd1", "4 KiB random write, iodepth 1", "clat-mean-us", "mean completion latency (µs)",
            Target.atMost(1.3), null),
        new Row("randwrite-4k-qd1", "4 KiB random write, iodepth 1", "clat-p99-us", "p99 completion latency (µs)",
            null, null),
        new Row("randread-4k-qd32", "4 KiB random read, iodepth 32", "iops", "IOPS", Target.atLeast(0.9),
            "4 KiB rand. read, qd 32"));

    private final String name;
    private final String server;
    private final String serverLabel;
    private final String title;

    private NbdSection(String name, String server, String serverLabel, String title) {
        this.name = name;
        this.server = server;
        this.serverLabel = serverLabel;
        this.title = title;
    }

    static NbdSection frontEnd() {
        return new NbdSection(FRONT_END, "ours", "ours", "NBD front end vs nbdkit (`nbd-vs-nbdkit.sh`)");
    }

    static NbdSection daemon() {
        return new NbdSection(DAEMON, "daemon", "daemon export",
            "daemon's NBD export vs nbdkit (`nbd-daemon-vs-nbdkit.sh`)");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String title() {
        return title;
    }

    static String id(Row row, String server) {
        return row.workload() + "-" + server + "-" + row.metric();
    }

    /** ours / nbdkit of the medians, if both are there. */
    Double ratio(ComparisonRun run, Row row) {
        String ours = id(row, server);
        String kit = id(row, "nbdkit");
        return run.has(ours, kit) ? run.median(ours) / run.median(kit) : null;
    }

    @Override
    public String markdown(ComparisonRun run, Results all, String img) {
        Table table = new Table("workload", "metric", serverLabel, "nbdkit", serverLabel.equals("ours")
            ? "ours/nbdkit" : "ratio", "target");
        int reps = 0;
        for (Row row : ROWS) {
            String ours = id(row, server);
            String kit = id(row, "nbdkit");
            if (!run.has(ours, kit)) {
                continue;
            }
            Measurement o = run.get(ours).orElseThrow();
            Measurement k = run.get(kit).orElseThrow();
            reps = Math.max(reps, Math.max(o.values().size(), k.values().size()));
            double r = o.median() / k.median();
            String ratio = row.target() == null ? Fmt.ratio(r) : "**" + Fmt.ratio(r) + "**";
            String target = row.target() == null ? "" : row.target().text() + " — " + row.target().verdict(r);
            table.row(row.label(), row.unit(), Fmt.spread(o, Fmt.fixed(0)), Fmt.spread(k, Fmt.fixed(0)), ratio,
                target);
        }
        StringBuilder s = new StringBuilder(Section.runLine(run)).append("\n\n");
        if (reps > 0) {
            s.append("Median of ").append(reps == 1 ? "1 repetition" : reps + " repetitions")
                .append(" (min–max where there is a spread); the ratio is that of the medians.\n\n");
        }
        s.append(TableWriter.markdown(table));
        return s.toString();
    }

    /** The block under both NBD tables: the two charts. */
    static String chartsMarkdown(Results all, String img) {
        List<String> lines = new ArrayList<>();
        for (ChartSpec chart : charts(all, frontEnd(), daemon())) {
            lines.add(Section.image(img, chart.file(), chart.title()));
        }
        return String.join("\n\n", lines) + (lines.isEmpty() ? "" : "\n");
    }

    @Override
    public List<ChartSpec> charts(Results all) {
        return List.of();   // drawn once for both NBD comparisons: see charts(Results, ...)
    }

    static List<ChartSpec> charts(Results all, NbdSection frontEnd, NbdSection daemon) {
        List<ChartSpec> charts = new ArrayList<>();
        List<NbdSection> sections = new ArrayList<>();
        List<ComparisonRun> runs = new ArrayList<>();
        for (NbdSection section : List.of(frontEnd, daemon)) {
            all.comparison(section.name).ifPresent(run -> {
                sections.add(section);
                runs.add(run);
            });
        }
        if (runs.isEmpty()) {
            return charts;
        }
        // Throughput: ours / nbdkit per workload, one series per comparison, the 0.9 target across.
        List<String> categories = new ArrayList<>();
        List<List<Double>> values = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            values.add(new ArrayList<>());
        }
        for (Row row : ROWS) {
            if (row.chartLabel() == null) {
                continue;
            }
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < sections.size(); i++) {
                ratios.add(sections.get(i).ratio(runs.get(i), row));
            }
            if (ratios.contains(null)) {
                continue;
            }
            categories.add(row.chartLabel());
            for (int i = 0; i < sections.size(); i++) {
                values.get(i).add(ratios.get(i));
            }
        }
        if (!categories.isEmpty()) {
            List<ChartSpec.Series> series = new ArrayList<>();
            for (int i = 0; i < sections.size(); i++) {
                series.add(new ChartSpec.Series(sections.get(i).seriesName(), values.get(i)));
            }
            charts.add(new ChartSpec("nbd-vs-nbdkit-throughput.png",
                "NBD export vs nbdkit: throughput, ours / nbdkit (median)", "ours / nbdkit", categories, series,
                List.of(new ChartSpec.Line("target ≥ 0.9 for the 1 MiB and the iodepth-32 workloads", 0.9)), false,
                "0.00"));
        }
        // Latency: 4 KiB qd1 mean completion latency, ours and nbdkit, and the 1.3 x nbdkit limit.
        Row latency = ROWS.get(3);
        List<String> latencyCategories = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        List<Double> kit = new ArrayList<>();
        List<Double> limit = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            ComparisonRun run = runs.get(i);
            String o = id(latency, sections.get(i).server);
            String k = id(latency, "nbdkit");
            if (run.has(o, k)) {
                latencyCategories.add(sections.get(i).seriesName());
                ours.add(run.median(o));
                kit.add(run.median(k));
                limit.add(run.median(k) * 1.3);
            }
        }
        if (!latencyCategories.isEmpty()) {
            charts.add(new ChartSpec("nbd-vs-nbdkit-latency.png",
                "NBD export vs nbdkit: 4 KiB random write, iodepth 1, mean completion latency", "µs (median)",
                latencyCategories, List.of(new ChartSpec.Series("ours", ours), new ChartSpec.Series("nbdkit", kit),
                    new ChartSpec.Series("target: at most 1.3 × nbdkit", limit)), List.of(), false, "#,##0"));
        }
        return charts;
    }

    private String seriesName() {
        return name.equals(FRONT_END) ? "NBD front end" : "daemon export";
    }
}

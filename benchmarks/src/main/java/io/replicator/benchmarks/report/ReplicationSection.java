package io.replicator.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Replication against the raw pipe: {@code benchmarks/replication-vs-raw-pipe.sh} (protocol C and A throughput, the
 * 4 KiB iodepth-1 latency against the unreplicated export, LZ4's bytes on the wire).
 */
final class ReplicationSection implements Section {
    static final String NAME = "replication";
    private static final Target C_THROUGHPUT = Target.atLeast(0.85);
    private static final Target A_THROUGHPUT = Target.atLeast(0.9);
    private static final Target LATENCY = Target.atMost(2);
    private static final Target LZ4_SAVING = Target.atLeast(0.40);

    private record Row(String id, String label, DoubleFunction<String> format, String unit) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "replication vs the raw pipe (`replication-vs-raw-pipe.sh`)";
    }

    @Override
    public String markdown(ComparisonRun run, Results all, String img) {
        String wire = Fmt.iec(run.parameters().getOrDefault("WIRE_SIZE", "256M"));
        DoubleFunction<String> mb = v -> Fmt.fixed(v / 1e6, 1);
        List<Row> rows = List.of(
            new Row("raw-stream-1m", "raw pipe, 1 MiB, streaming", Fmt.fixed(0), "MB/s"),
            new Row("raw-ack-1m", "raw pipe, 1 MiB, ack after remote write, 8 in flight", Fmt.fixed(0), "MB/s"),
            new Row("protocol-C-1m", "**protocol C**, 1 MiB sequential, iodepth 8, through NBD", Fmt.fixed(0),
                "MB/s"),
            new Row("protocol-A-1m", "**protocol A**, same", Fmt.fixed(0), "MB/s"),
            new Row("nbdkit-1m", "the NBD hop alone: nbdkit's file plugin, same writes, no replication", Fmt.fixed(0),
                "MB/s"),
            new Row("unreplicated-1m", "the Primary's own export after `disconnect`, same writes", Fmt.fixed(0),
                "MB/s"),
            new Row("unreplicated-4k-qd1", "unreplicated export (same daemon after `disconnect`), 4 KiB random, "
                + "iodepth 1, mean latency", Fmt.fixed(0), "µs"),
            new Row("protocol-C-4k-qd1-flushes-yes", "**protocol C**, same, `disk-flushes yes` (default)",
                Fmt.fixed(0), "µs"),
            new Row("protocol-C-4k-qd1-flushes-no", "**protocol C**, same, `disk-flushes no`", Fmt.fixed(0), "µs"),
            new Row("cpu-raw-stream-1m", "CPU per GiB: raw pipe, streaming (sender + receiver)", Fmt.fixed(2),
                "CPU-s/GiB"),
            new Row("cpu-protocol-C-1m", "CPU per GiB: protocol C (both daemons + fio)", Fmt.fixed(2), "CPU-s/GiB"),
            new Row("cpu-protocol-A-1m", "CPU per GiB: protocol A (both daemons + fio)", Fmt.fixed(2), "CPU-s/GiB"),
            new Row("cpu-nbdkit-1m", "CPU per GiB: nbdkit + fio", Fmt.fixed(2), "CPU-s/GiB"),
            new Row("cpu-fio-nbdkit-1m", "CPU per GiB: fio alone, the NBD client (against nbdkit)", Fmt.fixed(2),
                "CPU-s/GiB"),
            new Row("cpu-unreplicated-1m", "CPU per GiB: the unreplicated export (daemon + fio)", Fmt.fixed(2),
                "CPU-s/GiB"),
            new Row("wire-bytes-none", "bytes on loopback for " + wire + " of half-compressible writes, "
                + "`compression none`", mb, "MB"),
            new Row("wire-bytes-lz4", "same, `compression lz4`", mb, "MB"));
        Table table = new Table("measurement", "median (min–max)", "notes");
        int reps = 0;
        for (Row row : rows) {
            var m = run.get(row.id());
            if (m.isPresent()) {
                reps = Math.max(reps, m.get().values().size());
                table.row(row.label(), Fmt.spread(m.get(), row.format()) + " " + row.unit(),
                    m.get().note() == null ? "" : m.get().note());
            }
        }
        Table targets = new Table("target", "result", "");
        if (run.has("protocol-C-1m", "raw-stream-1m")) {
            double r = run.median("protocol-C-1m") / run.median("raw-stream-1m");
            String ack = run.has("raw-ack-1m") ? " (" + Fmt.times(run.median("protocol-C-1m")
                / run.median("raw-ack-1m")) + " the ack mode)" : "";
            targets.row("protocol C 1 MiB " + C_THROUGHPUT.text() + "x raw pipe", Fmt.times(r)
                + " the streaming raw pipe" + ack, C_THROUGHPUT.verdict(r));
        }
        if (run.has("cpu-raw-stream-1m", "cpu-protocol-C-1m")) {
            targets.row("bound on this machine (its CPUs are busy in every 1 MiB run)", "protocol C needs "
                + Fmt.times(run.median("cpu-protocol-C-1m") / run.median("cpu-raw-stream-1m"))
                + " the raw pipe's CPU per byte: at most " + Fmt.times(run.median("cpu-raw-stream-1m")
                / run.median("cpu-protocol-C-1m")) + " its throughput", "");
        }
        if (run.has("cpu-raw-stream-1m", "cpu-fio-nbdkit-1m")) {
            double raw = run.median("cpu-raw-stream-1m");
            double client = run.median("cpu-fio-nbdkit-1m");
            targets.row("ceiling for a copying server behind NBD on this machine", "the raw pipe's work ("
                + Fmt.fixed(raw, 2) + " CPU-s/GiB) plus the NBD client's alone (" + Fmt.fixed(client, 2)
                + "): at most " + Fmt.times(raw / (raw + client)) + " the raw pipe's throughput", "");
        }
        if (run.has("protocol-A-1m", "raw-stream-1m")) {
            double r = run.median("protocol-A-1m") / run.median("raw-stream-1m");
            targets.row("protocol A 1 MiB " + A_THROUGHPUT.text() + "x raw pipe", Fmt.times(r), A_THROUGHPUT.verdict(r));
        }
        if (run.has("unreplicated-4k-qd1", "protocol-C-4k-qd1-flushes-yes")) {
            double base = run.median("unreplicated-4k-qd1");
            double yes = run.median("protocol-C-4k-qd1-flushes-yes") / base;
            String result = Fmt.times(yes) + " with `disk-flushes yes`";
            String verdict = LATENCY.verdict(yes) + " with `disk-flushes yes`";
            if (run.has("protocol-C-4k-qd1-flushes-no")) {
                double no = run.median("protocol-C-4k-qd1-flushes-no") / base;
                result += ", " + Fmt.times(no) + " with `disk-flushes no`";
                verdict += ", " + LATENCY.verdict(no) + " with `disk-flushes no`";
            }
            targets.row("4 KiB iodepth-1 latency, protocol C " + LATENCY.text() + "x unreplicated", result, verdict);
        }
        if (run.has("wire-bytes-none", "wire-bytes-lz4")) {
            double saving = 1 - run.median("wire-bytes-lz4") / run.median("wire-bytes-none");
            targets.row("LZ4 on half-zero data cuts wire bytes ≥ 40 %", Fmt.fixed(100 * saving, 0) + " % fewer",
                LZ4_SAVING.verdict(saving));
        }
        StringBuilder s = new StringBuilder(Section.runLine(run)).append("\n\n");
        if (reps > 0) {
            s.append("Median of ").append(reps == 1 ? "1 run" : reps + " runs")
                .append(" (min–max where there is a spread); ratios are those of the medians.\n\n");
        }
        return Section.tablesAndCharts(s, table, targets, "replication", charts(all), img);
    }

    @Override
    public List<ChartSpec> charts(Results all) {
        List<ChartSpec> charts = new ArrayList<>();
        ComparisonRun run = all.comparison(NAME).orElse(null);
        if (run == null) {
            return charts;
        }
        List<String> categories = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        addIf(run, "raw-stream-1m", "raw pipe, streaming", categories, values);
        addIf(run, "raw-ack-1m", "raw pipe, ack, 8 in flight", categories, values);
        addIf(run, "protocol-C-1m", "protocol C, NBD qd 8", categories, values);
        addIf(run, "protocol-A-1m", "protocol A, NBD qd 8", categories, values);
        if (!categories.isEmpty()) {
            List<ChartSpec.Line> lines = new ArrayList<>();
            if (run.has("raw-stream-1m")) {
                double raw = run.median("raw-stream-1m");
                lines.add(new ChartSpec.Line("0.85 × raw pipe streaming (protocol C's target)", 0.85 * raw));
                lines.add(new ChartSpec.Line("0.9 × (protocol A's)", 0.9 * raw));
            }
            charts.add(new ChartSpec("replication-throughput.png",
                "Replication vs raw pipe: 1 MiB sequential writes, same bytes", "MB/s (median)", categories,
                List.of(new ChartSpec.Series("median", values)), lines, false, "#,##0"));
        }
        categories = new ArrayList<>();
        values = new ArrayList<>();
        addIf(run, "unreplicated-4k-qd1", "unreplicated export", categories, values);
        addIf(run, "protocol-C-4k-qd1-flushes-yes", "protocol C, disk-flushes yes", categories, values);
        addIf(run, "protocol-C-4k-qd1-flushes-no", "protocol C, disk-flushes no", categories, values);
        if (!categories.isEmpty()) {
            List<ChartSpec.Line> lines = run.has("unreplicated-4k-qd1")
                ? List.of(new ChartSpec.Line("target: at most 2 × unreplicated", 2 * run.median("unreplicated-4k-qd1")))
                : List.of();
            charts.add(new ChartSpec("replication-latency.png",
                "Replication: 4 KiB random writes, iodepth 1, mean latency", "µs (median)", categories,
                List.of(new ChartSpec.Series("median", values)), lines, false, "#,##0"));
        }
        if (run.has("wire-bytes-none", "wire-bytes-lz4")) {
            double none = run.median("wire-bytes-none") / 1e6;
            charts.add(new ChartSpec("replication-lz4.png", "Replication: bytes on the loopback wire, "
                + "half-compressible data", "MB (median)", List.of("compression none", "compression lz4"),
                List.of(new ChartSpec.Series("median", List.of(none, run.median("wire-bytes-lz4") / 1e6))),
                List.of(new ChartSpec.Line("target: at most 0.6 × none (≥ 40 % fewer bytes)", 0.6 * none)), false,
                "#,##0.#"));
        }
        return charts;
    }

    private static void addIf(ComparisonRun run, String id, String label, List<String> categories,
        List<Double> values) {
        if (run.has(id)) {
            categories.add(label);
            values.add(run.median(id));
        }
    }
}

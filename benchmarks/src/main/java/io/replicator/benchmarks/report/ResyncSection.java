package io.replicator.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resync against rsync and the full initial sync against the raw pipe: {@code benchmarks/resync-vs-rsync.sh}. Its
 * measurements are per setting ({@code resync-I-...} for part 1, {@code sync-I-...} for part 2); the settings' texts
 * ("disk options # net options") are the parameters {@code resync-I} and {@code sync-I}.
 */
final class ResyncSection implements Section {
    static final String NAME = "resync";
    private static final Target SPEEDUP = Target.atLeast(20);
    private static final Target WIRE = Target.atMost(1.1);
    private static final Target FULL_SYNC = Target.atLeast(0.85);
    private static final Pattern FILL = Pattern.compile("c-fill-target\\s+(\\S+?);");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "resync vs rsync, full sync vs raw pipe (`resync-vs-rsync.sh`)";
    }

    /** The indexes I of the settings that have {@code PREFIX-I-SUFFIX}. */
    private static List<Integer> settings(ComparisonRun run, String prefix, String suffix) {
        Pattern key = Pattern.compile(Pattern.quote(prefix) + "-(\\d+)-" + Pattern.quote(suffix));
        List<Integer> indexes = new ArrayList<>();
        for (String id : run.measurements().keySet()) {
            Matcher m = key.matcher(id);
            if (m.matches()) {
                indexes.add(Integer.parseInt(m.group(1)));
            }
        }
        indexes.sort(null);
        return indexes;
    }

    /** "fixed `c-plan-ahead 0; resync-rate 4G;`" — the disk options of a setting, and what kind of controller. */
    static String settingLabel(ComparisonRun run, String key) {
        String text = run.parameters().get(key);
        if (text == null) {
            return key;
        }
        String disk = text.contains("#") ? text.substring(0, text.indexOf('#')).trim() : text.trim();
        return (isFixed(disk) ? "fixed" : "dynamic") + " `" + disk + "`";
    }

    /** "fixed rate" or "dynamic 16M": short enough for a chart's axis. */
    static String shortLabel(ComparisonRun run, String key) {
        String text = run.parameters().get(key);
        if (text == null) {
            return key;
        }
        if (isFixed(text)) {
            return "fixed rate";
        }
        Matcher m = FILL.matcher(text);
        return m.find() ? "dynamic " + m.group(1) : "dynamic";
    }

    private static boolean isFixed(String text) {
        return text.matches("(?s).*c-plan-ahead\\s+0\\s*;.*");
    }

    private static String note(Optional<Measurement> m, String extra) {
        List<String> parts = new ArrayList<>();
        m.map(Measurement::note).ifPresent(parts::add);
        if (extra != null) {
            parts.add(extra);
        }
        return String.join("; ", parts);
    }

    @Override
    public String markdown(ComparisonRun run, Results all, String img) {
        String size = Fmt.iec(run.parameters().getOrDefault("SIZE", "4G"));
        String pct = run.parameters().getOrDefault("DIRTY_PCT", "1");
        Table table = new Table("measurement", "setting", "runs", "median", "notes");
        String dirty = run.get("dirty-bytes").map(m -> String.format(java.util.Locale.ROOT, " (%,d random 4 KiB "
            + "blocks)", (long) (m.median() / 4096)).replace(',', ' ')).orElse("");
        for (int i : settings(run, "resync", "daemon-seconds")) {
            String key = "resync-" + i;
            Measurement m = run.get(key + "-daemon-seconds").orElseThrow();
            table.row("bitmap resync of " + pct + " %" + dirty + ", daemon time (\"resync started\" → \"done\")",
                settingLabel(run, key), Fmt.runs(m, Fmt.fixed(3)) + " s",
                "**" + Fmt.fixed(m.median(), 2) + " s**", note(Optional.of(m), null));
            run.get(key + "-wall-seconds").ifPresent(w -> table.row("same, wall clock (`connect` … `wait-sync` "
                + "returns, two client JVMs)", shortLabel(run, key), Fmt.runs(w, Fmt.fixed(3)) + " s",
                Fmt.fixed(w.median(), 2) + " s", note(Optional.of(w), null)));
            run.get(key + "-connection-losses").filter(l -> l.max() > 0).ifPresent(l -> table.row(
                "connection losses during the resync", shortLabel(run, key), Fmt.runs(l, Fmt.fixed(0)), "",
                note(Optional.of(l), null)));
        }
        run.get("rsync-seconds").ifPresent(m -> table.row("`rsync -I --inplace --no-whole-file`, same files and "
            + "changes", "—", Fmt.runs(m, Fmt.fixed(2)) + " s", "**" + Fmt.fixed(m.median(), 2) + " s**",
            note(Optional.of(m), run.get("rsync-literal-bytes").map(l -> Fmt.fixed(l.median() / 1e6, 0)
                + " MB literal data").orElse(null))));
        if (run.has("dirty-bytes")) {
            double dirtyBytes = run.median("dirty-bytes");
            for (int i : settings(run, "resync", "socket-bytes")) {
                String key = "resync-" + i;
                Measurement sock = run.get(key + "-socket-bytes").orElseThrow();
                String lo = run.get(key + "-lo-bytes").map(l -> "lo's counter (machine-wide): "
                    + Fmt.fixed(l.median() / dirtyBytes, 3) + "x").orElse(null);
                table.row("replication socket payload (both directions) / dirty bytes", shortLabel(run, key),
                    sock.values().isEmpty() ? "" : sock.values().stream()
                        .map(v -> Fmt.fixed(v / dirtyBytes, 3) + "x").reduce((a, b) -> a + ", " + b).orElse(""),
                    Fmt.fixed(sock.median() / dirtyBytes, 3) + "x", note(Optional.of(sock), lo));
            }
        }
        run.get("raw-stream-mb-per-s").ifPresent(m -> table.row("raw pipe, " + size + " streamed into a file", "—",
            Fmt.runs(m, Fmt.fixed(1)) + " MB/s", Fmt.fixed(m.median(), 1) + " MB/s", note(Optional.of(m), null)));
        for (int i : settings(run, "sync", "mb-per-s")) {
            String key = "sync-" + i;
            Measurement m = run.get(key + "-mb-per-s").orElseThrow();
            String seconds = run.get(key + "-daemon-seconds").map(d -> " (" + Fmt.runs(d, Fmt.fixed(2)) + " s)")
                .orElse("");
            String identical = run.get(key + "-data-identical").map(d -> d.min() >= 1 ? "data identical"
                : "**data differ**").orElse(null);
            table.row("full initial sync of " + size, settingLabel(run, key), Fmt.runs(m, Fmt.fixed(1)) + " MB/s"
                + seconds, Fmt.fixed(m.median(), 1) + " MB/s", note(Optional.of(m), identical));
        }
        if (run.has("resync-data-identical") || run.has("rsync-data-identical")) {
            boolean same = run.get("resync-data-identical").map(m -> m.min() >= 1).orElse(true)
                && run.get("rsync-data-identical").map(m -> m.min() >= 1).orElse(true);
            table.row("sha256 of the data areas: alpha = bravo = rsync's copy", "—", same ? "identical"
                : "**differ**", "", "");
        }

        Table targets = new Table("target", "result", "");
        if (run.has("rsync-seconds")) {
            double rsync = run.median("rsync-seconds");
            for (int i : settings(run, "resync", "daemon-seconds")) {
                String key = "resync-" + i;
                double daemon = rsync / run.median(key + "-daemon-seconds");
                Measurement rounds = run.get(key + "-daemon-seconds").orElseThrow();
                String first = rounds.values().size() > 1 ? "; " + Fmt.times(rsync / rounds.values().get(0))
                    + " in the first round" : "";
                String result = settingLabel(run, key) + ": **" + Fmt.times(daemon) + "** on the resync's own time "
                    + "(median" + first + ")";
                String verdict = SPEEDUP.verdict(daemon) + " on the resync's time";
                if (run.has(key + "-wall-seconds")) {
                    double wall = rsync / run.median(key + "-wall-seconds");
                    result += ", " + Fmt.times(wall) + " on the wall clock";
                    verdict += ", " + SPEEDUP.verdict(wall) + " on the wall clock";
                }
                targets.row("bitmap resync of " + pct + " % " + SPEEDUP.text() + "x faster than rsync", result,
                    verdict);
            }
        }
        if (run.has("dirty-bytes")) {
            for (int i : settings(run, "resync", "socket-bytes")) {
                double r = run.median("resync-" + i + "-socket-bytes") / run.median("dirty-bytes");
                targets.row("resync wire bytes ≈ dirty bytes (" + WIRE.text() + "x: headers, requests, acks)",
                    shortLabel(run, "resync-" + i) + ": " + Fmt.fixed(r, 3) + "x on the replication sockets",
                    WIRE.verdict(r));
            }
        }
        if (run.has("raw-stream-mb-per-s")) {
            double raw = run.median("raw-stream-mb-per-s");
            for (int i : settings(run, "sync", "mb-per-s")) {
                double r = run.median("sync-" + i + "-mb-per-s") / raw;
                Measurement rawRuns = run.get("raw-stream-mb-per-s").orElseThrow();
                String fastest = rawRuns.hasSpread() ? " (" + Fmt.times(run.median("sync-" + i + "-mb-per-s")
                    / rawRuns.max()) + " the fastest raw-pipe run)" : "";
                targets.row("full sync " + FULL_SYNC.text() + "x raw pipe (same-run median)",
                    settingLabel(run, "sync-" + i) + ": " + Fmt.times(r) + fastest, FULL_SYNC.verdict(r));
            }
        }
        StringBuilder s = new StringBuilder(Section.runLine(run)).append("\n\n");
        return Section.tablesAndCharts(s, table, targets, "resync", charts(all), img);
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
        for (int i : settings(run, "resync", "daemon-seconds")) {
            String key = "resync-" + i;
            categories.add("resync, " + shortLabel(run, key));
            values.add(run.median(key + "-daemon-seconds"));
            if (run.has(key + "-wall-seconds")) {
                categories.add(shortLabel(run, key) + ", wall clock");
                values.add(run.median(key + "-wall-seconds"));
            }
        }
        if (run.has("rsync-seconds")) {
            categories.add("rsync");
            values.add(run.median("rsync-seconds"));
        }
        if (!categories.isEmpty() && values.stream().allMatch(v -> v > 0)) {
            String pct = run.parameters().getOrDefault("DIRTY_PCT", "1");
            List<ChartSpec.Line> lines = run.has("rsync-seconds")
                ? List.of(new ChartSpec.Line("target: at most rsync / 20", run.median("rsync-seconds") / 20))
                : List.of();
            charts.add(new ChartSpec("resync-vs-rsync.png", "Bitmap resync of " + pct + " % of "
                + Fmt.iec(run.parameters().getOrDefault("SIZE", "4G")) + " vs rsync (log scale)",
                "seconds (median)", categories, List.of(new ChartSpec.Series("median", values)), lines, true,
                "#,##0.##"));
        }
        categories = new ArrayList<>();
        values = new ArrayList<>();
        if (run.has("raw-stream-mb-per-s")) {
            categories.add("raw pipe (same-run median)");
            values.add(run.median("raw-stream-mb-per-s"));
        }
        for (int i : settings(run, "sync", "mb-per-s")) {
            categories.add("full sync, " + shortLabel(run, "sync-" + i));
            values.add(run.median("sync-" + i + "-mb-per-s"));
        }
        if (!categories.isEmpty()) {
            List<ChartSpec.Line> lines = run.has("raw-stream-mb-per-s")
                ? List.of(new ChartSpec.Line("target: 0.85 × raw pipe", 0.85 * run.median("raw-stream-mb-per-s")))
                : List.of();
            charts.add(new ChartSpec("full-sync-vs-raw-pipe.png", "Full initial sync of "
                + Fmt.iec(run.parameters().getOrDefault("SIZE", "4G")) + " vs the raw pipe", "MB/s", categories,
                List.of(new ChartSpec.Series("median", values)), lines, false, "#,##0.#"));
        }
        return charts;
    }
}

package io.replicator.benchmarks.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportTest {
    private static final Machine MACHINE = new Machine("AMD EPYC", 2, "23.4 GiB", "6.18.44", "OpenJDK 17.0.15",
        "0.10 0.20 0.30", Map.of("fio", "fio-3.33"), null);

    private static ComparisonRun replication(boolean quick) {
        Map<String, Measurement> m = new LinkedHashMap<>();
        m.put("raw-stream-1m", Measurement.of(1152, 1367, 1403));
        m.put("raw-ack-1m", Measurement.of(1266));
        m.put("protocol-C-1m", Measurement.of(285, 369, 430));
        m.put("protocol-A-1m", Measurement.of(396, 448, 488));
        m.put("unreplicated-4k-qd1", Measurement.of(506));
        m.put("nbdkit-1m", Measurement.of(2380));
        m.put("cpu-raw-stream-1m", Measurement.of(1.50));
        m.put("cpu-fio-nbdkit-1m", Measurement.of(0.45));
        m.put("protocol-C-4k-qd1-flushes-yes", Measurement.of(1639));
        m.put("protocol-C-4k-qd1-flushes-no", Measurement.of(743));
        m.put("wire-bytes-none", Measurement.medianOnly(268.9e6, "median only"));
        m.put("wire-bytes-lz4", Measurement.of(135.9e6));
        return new ComparisonRun("replication", "run 2", "2026-11-22", quick, "test", "61864f3", MACHINE,
            Map.of("WIRE_SIZE", "256M"), List.of(), m);
    }

    @Test
    void shouldComputeMediansAndRatiosAndVerdicts() {
        String block = new Report(Results.of(List.of(replication(false)))).blocks("img/").get("replication");

        assertThat(block)
            .contains("Run: run 2, 2026-11-22, commit 61864f3 (test)")
            .contains("| raw pipe, 1 MiB, streaming | 1367 (1152–1403) MB/s |  |")
            .contains("| protocol C 1 MiB ≥ 0.85x raw pipe | 0.27x the streaming raw pipe (0.29x the ack mode) "
                + "| **missed** |")
            .contains("3.24x with `disk-flushes yes`, 1.47x with `disk-flushes no`")
            .contains("| the NBD hop alone: nbdkit's file plugin, same writes, no replication | 2380 MB/s |  |")
            .contains("| ceiling for a copying server behind NBD on this machine | the raw pipe's work (1.50 CPU-s/GiB) "
                + "plus the NBD client's alone (0.45): at most 0.77x the raw pipe's throughput |  |")
            .contains("| LZ4 on half-zero data cuts wire bytes ≥ 40 % | 49 % fewer | met |")
            .contains("| bytes on loopback for 256 MiB of half-compressible writes, `compression none` | 268.9 MB "
                + "| median only |")
            .contains("![Replication vs raw pipe: 1 MiB sequential writes, same bytes](img/replication-throughput.png)")
            .doesNotContain("QUICK");
        assertThat(new Report(Results.of(List.of(replication(true)))).blocks("img/").get("replication"))
            .contains("**QUICK RUN**");
    }

    @Test
    void shouldLeaveOutRowsWhoseMeasurementsAreMissing() {
        Map<String, Measurement> m = Map.of(
            "seqwrite-1m-qd8-ours-mib-per-s", Measurement.of(1634), "seqwrite-1m-qd8-nbdkit-mib-per-s",
            Measurement.of(2731));
        Report report = new Report(Results.of(List.of(new ComparisonRun("nbd", "r", null, false, null, null, null,
            null, null, m))));

        String block = report.blocks("img/").get("nbd");
        assertThat(block).contains("| 1 MiB sequential write, iodepth 8 | MiB/s | 1634 | 2731 | **0.60** | ≥ 0.9 — "
            + "**missed** |").doesNotContain("IOPS");
        assertThat(report.blocks("img/")).containsOnlyKeys("runs", "nbd", "nbd-charts");
        assertThat(report.charts()).extracting(ChartSpec::file).containsExactly("nbd-vs-nbdkit-throughput.png");
    }

    @Test
    void shouldLabelResyncSettingsAndCompareWithRsync() {
        Map<String, Measurement> m = new LinkedHashMap<>();
        m.put("dirty-bytes", Measurement.of(42946560));
        m.put("resync-0-daemon-seconds", Measurement.of(2.377, 1.537, 1.560));
        m.put("resync-0-wall-seconds", Measurement.of(3.237, 2.331, 2.551));
        m.put("resync-0-socket-bytes", Measurement.of(44_535_583));
        m.put("rsync-seconds", Measurement.of(35.14));
        m.put("raw-stream-mb-per-s", Measurement.of(240.5));
        m.put("sync-0-mb-per-s", Measurement.of(410.4));
        m.put("sync-0-data-identical", Measurement.of(1));
        Map<String, String> p = Map.of("resync-0", "c-plan-ahead 0; resync-rate 4G; # max-buffers 131072;",
            "sync-0", "c-fill-target 16M; c-max-rate 4G; # max-buffers 131072;");
        Report report = new Report(Results.of(List.of(new ComparisonRun("resync", "run D", null, false, null, null,
            null, p, null, m))));

        assertThat(report.blocks("img/").get("resync"))
            .contains("(10 485 random 4 KiB blocks)")
            .contains("| fixed `c-plan-ahead 0; resync-rate 4G;` | 2.377, 1.537, 1.560 s | **1.56 s** |")
            .contains("**22.5x** on the resync's own time (median; 14.8x in the first round), 13.8x on the wall "
                + "clock | met on the resync's "
                + "time, **missed** on the wall clock |")
            .contains("fixed rate: 1.037x on the replication sockets | met |")
            .contains("dynamic `c-fill-target 16M; c-max-rate 4G;`: 1.71x | met |");
        assertThat(report.charts()).extracting(ChartSpec::file)
            .containsExactly("resync-vs-rsync.png", "full-sync-vs-raw-pipe.png");
    }

    @Test
    void shouldCollectTheScriptsResultsAndRoundTripThemThroughJson(@TempDir Path out) throws IOException {
        ResultsIo.writeMachine(MACHINE, out.resolve("machine.json"));
        Files.createDirectories(out.resolve("replication"));
        Files.writeString(out.resolve("replication/results.jsonl"), """
            {"name": "raw-stream-1m", "value": 1200.5}
            {"name": "raw-stream-1m", "value": 1100}
            {"name": "protocol-C-1m", "value": null}
            {"name": "protocol-C-1m", "value": 400}
            """);
        Files.writeString(out.resolve("replication/run.env"), "exit=0\nseconds=42\nREPS=2\n");
        Files.createDirectories(out.resolve("resync"));
        Files.writeString(out.resolve("resync/run.env"), "exit=1\n");
        Files.writeString(out.resolve("resync/results.jsonl"), "{\"name\": \"x\", \"value\": 1}\n");

        ResultsIo.Collected collected = ResultsIo.collect(out, Report.COMPARISONS, true, "quick", "2026-11-22",
            "abc1234");

        assertThat(collected.problems()).singleElement().asString().startsWith("resync: the script exited with 1");
        ComparisonRun run = collected.results().comparison("replication").orElseThrow();
        assertThat(run.quick()).isTrue();
        assertThat(run.machine()).isEqualTo(MACHINE);
        assertThat(run.parameters()).containsEntry("REPS", "2").containsEntry("seconds", "42")
            .doesNotContainKey("exit");
        assertThat(run.get("raw-stream-1m").orElseThrow().values()).containsExactly(1200.5, 1100.0);
        assertThat(run.median("raw-stream-1m")).isEqualTo(1150.25);
        assertThat(run.get("protocol-C-1m").orElseThrow().values()).containsExactly(400.0);

        ResultsIo.write(collected.results(), out.resolve("results.json"));
        assertThat(ResultsIo.read(out.resolve("results.json"))).isEqualTo(collected.results());
    }

    @Test
    void shouldMergeNewerRunsByName() {
        Results old = Results.of(List.of(replication(false), new ComparisonRun("nbd", "old", null, false, null, null,
            null, null, null, Map.of("x", Measurement.of(1)))));
        Results newer = Results.of(List.of(new ComparisonRun("nbd", "new", null, false, null, null, null, null,
            null, Map.of("x", Measurement.of(2)))));

        Results merged = old.merge(newer);

        assertThat(merged.comparisons()).extracting(ComparisonRun::name).containsExactly("replication", "nbd");
        assertThat(merged.comparison("nbd").orElseThrow().run()).isEqualTo("new");
        assertThat(merged.anyQuick()).isFalse();
        assertThatThrownBy(() -> Results.of(List.of(replication(false), replication(true))))
            .hasMessageContaining("two runs of replication");
    }

    @Test
    void shouldPreferARecordedMedian() {
        Measurement m = new Measurement(List.of(368.8, 183.9, 169.2), 240.5, "as published");

        assertThat(m.median()).isEqualTo(240.5);
        assertThat(m.min()).isEqualTo(169.2);
        assertThat(Measurement.of(3, 1, 2).median()).isEqualTo(2.0);
        assertThatThrownBy(() -> new Measurement(List.of(), null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}

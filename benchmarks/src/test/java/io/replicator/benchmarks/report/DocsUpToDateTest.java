package io.replicator.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/benchmarks.md's generated blocks are what docs/benchmark-results.json gives: nobody edited a generated table by
 * hand, and nobody changed the results without regenerating (benchmarks/run-all.sh --report-only
 * docs/benchmark-results.json). Every chart a block links is committed.
 */
class DocsUpToDateTest {
    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void shouldMatchTheResultsTheDocsShow() throws IOException {
        String doc = Files.readString(DOCS.resolve("benchmarks.md"));
        Report report = new Report(ResultsIo.read(DOCS.resolve("benchmark-results.json")));
        Map<String, String> blocks = report.blocks("img/");

        assertThat(DocUpdater.blocks(doc)).containsExactlyInAnyOrderElementsOf(blocks.keySet());
        for (Map.Entry<String, String> block : blocks.entrySet()) {
            assertThat(DocUpdater.content(doc, block.getKey())).as("block %s: run benchmarks/run-all.sh "
                + "--report-only docs/benchmark-results.json", block.getKey()).isEqualTo(block.getValue());
        }
        assertThat(ResultsIo.read(DOCS.resolve("benchmark-results.json")).anyQuick()).as("quick results in the docs")
            .isFalse();
    }

    @Test
    void shouldHaveEveryLinkedChart() throws IOException {
        String doc = Files.readString(DOCS.resolve("benchmarks.md"));
        Matcher m = Pattern.compile("!\\[[^]]*]\\((img/[^)]+\\.png)\\)").matcher(doc);
        int charts = 0;
        while (m.find()) {
            assertThat(DOCS.resolve(m.group(1))).isRegularFile();
            charts++;
        }
        Report report = new Report(ResultsIo.read(DOCS.resolve("benchmark-results.json")));
        assertThat(charts).isEqualTo(report.charts().size());
    }
}

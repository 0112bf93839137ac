package io.replicator.benchmarks.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocUpdaterTest {
    private static final String DOC = """
        # Benchmarks

        Hand-written method: keep | this *exactly*.
        <!-- bench:a:begin -->
        old table a
        <!-- bench:a:end -->

        Analysis between the blocks.

        <!-- bench:b:begin -->
        <!-- bench:b:end -->
        Trailing prose.
        """;

    @Test
    void shouldReplaceOnlyTheTextBetweenTheMarkers() {
        String updated = DocUpdater.replace(DOC, "a", "| x |\n|---|\n| 1 |\n");

        assertThat(updated).isEqualTo(DOC.replace("old table a\n", "| x |\n|---|\n| 1 |\n"));
        assertThat(DocUpdater.content(updated, "a")).isEqualTo("| x |\n|---|\n| 1 |\n");
    }

    @Test
    void shouldFillAnEmptyBlockAndAddTheMissingNewline() {
        String updated = DocUpdater.replace(DOC, "b", "generated");

        assertThat(updated).contains("<!-- bench:b:begin -->\ngenerated\n<!-- bench:b:end -->\nTrailing prose.\n");
        assertThat(updated.replace("generated\n", "")).isEqualTo(DOC);
    }

    @Test
    void shouldBeIdempotent() {
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put("a", "A\n");
        blocks.put("b", "B\n");
        String once = DocUpdater.replaceAll(DOC, blocks);

        assertThat(DocUpdater.replaceAll(once, blocks)).isEqualTo(once);
        assertThat(DocUpdater.blocks(once)).containsExactly("a", "b");
    }

    @Test
    void shouldFailClearlyWhenABlockHasNoMarkers() {
        assertThatThrownBy(() -> DocUpdater.replace(DOC, "resync", "x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("<!-- bench:resync:begin -->")
            .hasMessageContaining("<!-- bench:resync:end -->");
    }

    @Test
    void shouldFailWhenTheEndMarkerIsMissing() {
        String doc = DOC.replace("<!-- bench:a:end -->\n", "");

        assertThatThrownBy(() -> DocUpdater.replace(doc, "a", "x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no marker <!-- bench:a:end -->");
    }

    @Test
    void shouldFailOnADoubledOrMisplacedMarker() {
        String doubled = DOC + "<!-- bench:a:begin -->\n";
        String swapped = "<!-- bench:c:end -->\nx\n<!-- bench:c:begin -->\n";
        String inline = "text <!-- bench:c:begin -->\n<!-- bench:c:end -->\n";

        assertThatThrownBy(() -> DocUpdater.replace(doubled, "a", "x")).hasMessageContaining("more than once");
        assertThatThrownBy(() -> DocUpdater.replace(swapped, "c", "x")).hasMessageContaining("comes before");
        assertThatThrownBy(() -> DocUpdater.replace(inline, "c", "x")).hasMessageContaining("alone on its line");
    }

    @Test
    void shouldLeaveTheFileUntouchedWhenAnyBlockFails(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("benchmarks.md");
        Files.writeString(file, DOC);
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put("a", "new a");
        blocks.put("missing", "x");

        assertThatThrownBy(() -> DocUpdater.update(file, blocks))
            .hasMessageStartingWith(file + ": no marker <!-- bench:missing:begin -->");
        assertThat(Files.readString(file)).isEqualTo(DOC);
        assertThat(DocUpdater.update(file, Map.of("a", "new a"))).isTrue();
        assertThat(DocUpdater.update(file, Map.of("a", "new a"))).isFalse();
    }
}

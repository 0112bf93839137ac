package io.replicator.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableWriterTest {

    @Test
    void shouldWriteHeaderSeparatorAndRows() {
        Table table = new Table("workload", "ours", "ratio")
            .row("1 MiB write", "1634 (963–1636)", "**0.60**")
            .row("4 KiB read", "40325", "");

        assertThat(TableWriter.markdown(table)).isEqualTo("""
            | workload | ours | ratio |
            |---|---|---|
            | 1 MiB write | 1634 (963–1636) | **0.60** |
            | 4 KiB read | 40325 |  |
            """);
    }

    @Test
    void shouldKeepEachCellInItsColumn() {
        Table table = new Table("a", "b").row("x | y", "two\nlines");

        assertThat(TableWriter.markdown(table)).endsWith("| x \\| y | two lines |\n");
        assertThat(TableWriter.escape("already \\| escaped")).isEqualTo("already \\| escaped");
    }

    @Test
    void shouldRejectARowOfTheWrongWidth() {
        Table table = new Table("a", "b");

        assertThatThrownBy(() -> table.row("only one")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("1 cells in a table of 2 columns");
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.rows()).isEqualTo(List.of());
    }
}

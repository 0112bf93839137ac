package io.replicator.benchmarks.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Markdown table: a header and rows of as many cells. Built row by row; {@link TableWriter} renders it. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = List.of(header);
    }

    public Table row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + header.size()
                + " columns: " + Arrays.toString(cells));
        }
        rows.add(List.of(cells));
        return this;
    }

    public List<String> header() {
        return header;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }
}

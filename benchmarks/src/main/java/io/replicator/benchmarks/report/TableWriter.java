package io.replicator.benchmarks.report;

import java.util.List;

/** Renders a {@link Table} as a GitHub-flavoured Markdown table. */
public final class TableWriter {
    private TableWriter() {
    }

    public static String markdown(Table table) {
        StringBuilder s = new StringBuilder();
        line(s, table.header());
        s.append('|');
        for (int i = 0; i < table.header().size(); i++) {
            s.append("---|");
        }
        s.append('\n');
        for (List<String> row : table.rows()) {
            line(s, row);
        }
        return s.toString();
    }

    private static void line(StringBuilder s, List<String> cells) {
        s.append('|');
        for (String cell : cells) {
            s.append(' ').append(escape(cell)).append(" |");
        }
        s.append('\n');
    }

    /** A cell is one line; a '|' in it would end the cell. */
    static String escape(String cell) {
        String text = cell == null || cell.isEmpty() ? "" : cell;
        return text.replace("\r", " ").replace("\n", " ").replaceAll("(?<!\\\\)\\|", "\\\\|");
    }
}

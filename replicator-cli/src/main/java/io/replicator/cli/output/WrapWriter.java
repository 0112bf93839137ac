package io.replicator.cli.output;

/**
 * Collects text the way drbdsetup's {@code wrap_printf} prints it: a piece that would run past the right margin
 * starts a new line, and a piece that starts a line loses its leading blanks and is indented instead.
 */
final class WrapWriter {
    /** The width drbdsetup assumes when standard output is not a terminal. */
    static final int DEFAULT_COLUMNS = 80;

    private final StringBuilder text = new StringBuilder();
    private final int columns;
    private int column;

    WrapWriter(int columns) {
        this.columns = columns;
    }

    /** Appends {@code piece}; {@code indent} applies if the piece starts a line, by itself or by wrapping. */
    void print(int indent, String piece) {
        int start = 0;
        while (start < piece.length() && piece.charAt(start) == '\n') {
            text.append('\n');
            column = 0;
            start++;
        }
        String rest = piece.substring(start);
        if (rest.isEmpty()) {
            return;
        }
        if (column > 0 && column + rest.length() > columns) {
            text.append('\n');
            column = 0;
        }
        if (column == 0) {
            rest = rest.stripLeading();
            text.append(" ".repeat(indent));
            column = indent;
        }
        text.append(rest);
        column += rest.length();
        if (rest.endsWith("\n")) {
            column = 0;
        }
    }

    /** Ends the current line. */
    void newline() {
        print(0, "\n");
    }

    @Override
    public String toString() {
        return text.toString();
    }
}

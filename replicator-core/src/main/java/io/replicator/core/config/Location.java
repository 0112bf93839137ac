package io.replicator.core.config;

/** A place in a configuration file, for error messages: {@code file:line:column}, or just the file when line is 0. */
public record Location(String file, int line, int column) {
    @Override
    public String toString() {
        return line == 0 ? file : file + ":" + line + ":" + column;
    }
}

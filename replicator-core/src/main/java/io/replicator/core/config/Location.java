package io.replicator.core.config;

/** A place in a configuration file, for error messages: {@code file:line:column}. */
public record Location(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}

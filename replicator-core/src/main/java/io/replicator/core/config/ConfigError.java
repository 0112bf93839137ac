package io.replicator.core.config;

/** One problem found in a configuration, with where it is and, when known, what to do. */
public record ConfigError(Location location, String message) {
    @Override
    public String toString() {
        return location + ": " + message;
    }
}

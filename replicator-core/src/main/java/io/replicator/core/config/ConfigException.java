package io.replicator.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration is invalid; carries every problem found, each with file:line:column. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(Location location, String message) {
        this(List.of(new ConfigError(location, message)));
    }

    /** The problems, in file order. */
    public List<ConfigError> errors() {
        return errors;
    }
}

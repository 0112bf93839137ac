package io.replicator.core.config;

import java.util.Optional;

/**
 * Where a volume's metadata lives: {@code meta-disk internal;} or {@code meta-disk PATH;}.
 *
 * @param path the external metadata file or device; empty for internal metadata
 */
public record MetaDisk(Optional<String> path) {
    /** Metadata at the end of the backing storage. */
    public static final MetaDisk INTERNAL = new MetaDisk(Optional.empty());

    /** Whether the metadata shares the backing storage. */
    public boolean internal() {
        return path.isEmpty();
    }

    @Override
    public String toString() {
        return path.orElse("internal");
    }
}

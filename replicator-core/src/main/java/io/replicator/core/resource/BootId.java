package io.replicator.core.resource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The machine's boot, as Linux names it in {@code /proc/sys/kernel/random/boot_id} (a random UUID per boot), folded
 * to a non-zero long; 0 where it cannot be read. Read once per process.
 */
final class BootId {
    private static final long CURRENT = read(Path.of("/proc/sys/kernel/random/boot_id"));

    private BootId() {
    }

    /** This machine's boot, or 0 if unknown. */
    static long current() {
        return CURRENT;
    }

    /** The boot id in {@code file}, folded to a long that is never 0; 0 if the file is missing or malformed. */
    static long read(Path file) {
        try {
            UUID uuid = UUID.fromString(Files.readString(file).trim());
            long folded = uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits();
            return folded == 0 ? 1 : folded;
        } catch (IOException | IllegalArgumentException | SecurityException unreadable) {
            return 0;
        }
    }
}

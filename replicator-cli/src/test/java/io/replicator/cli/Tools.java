package io.replicator.cli;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** External tools that tests use: skipped with a message when missing, unless CI requires them. */
final class Tools {
    private Tools() {
    }

    /** Skips the calling test if {@code name} is not on the PATH — or fails it when replicator.requireTools=true. */
    static void require(String name) {
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(folder, name))) {
                return;
            }
        }
        String message = name + " is not installed (Debian: see .ci/run for the package)";
        if (Boolean.getBoolean("replicator.requireTools")) {
            fail(message + "; replicator.requireTools=true, so this is a failure");
        }
        Assumptions.abort(message + "; skipping");
    }
}

package io.replicator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler ITs' way of seeing handlers run: each node's handlers append a line to {@code NODE-handlers.log} in
 * {@code folder}; a {@code handlers { }} section goes right after the resource's opening line of a node's
 * configuration.
 */
record HandlerLogs(Path folder, Duration timeout) {
    /** The log {@code node}'s handlers append to. */
    Path log(String node) {
        return folder.resolve(node + "-handlers.log");
    }

    /** {@code text} (a node's configuration) with {@code section} ({@code handlers { ... }}) in its resource. */
    static String withSection(String text, String section) {
        int open = text.indexOf("{", text.indexOf("resource ")) + 1;
        return text.substring(0, open) + "\n" + section + text.substring(open);
    }

    /** The lines {@code node}'s handlers wrote so far. */
    List<String> lines(String node) throws Exception {
        Path log = log(node);
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Waits until {@code node}'s handlers wrote {@code line}. */
    void awaitLine(String node, String line) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!lines(node).contains(line)) {
            assertThat(System.nanoTime() - deadline).as("on %s: no '%s' in %s", node, line, lines(node))
                .isNegative();
            Thread.sleep(100);
        }
    }
}

package io.replicator.cli.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RunDirectoryTest {
    @AfterEach
    void clear() {
        System.clearProperty(RunDirectory.PROPERTY);
    }

    @Test
    void shouldUseThePropertyOfThisJvmBeforeAnythingElse() {
        System.setProperty(RunDirectory.PROPERTY, "/tmp/demo-run");

        RunDirectory run = RunDirectory.resolve();

        assertThat(run.folder()).isEqualTo(Path.of("/tmp/demo-run"));
        assertThat(run.socket("alpha")).isEqualTo(Path.of("/tmp/demo-run/alpha.sock"));
        assertThat(run.pidFile("bravo")).isEqualTo(Path.of("/tmp/demo-run/bravo.pid"));
    }

    @Test
    void shouldIgnoreABlankProperty() {
        String before = RunDirectory.resolve().folder().toString();
        System.setProperty(RunDirectory.PROPERTY, " ");

        assertThat(RunDirectory.resolve().folder().toString()).isEqualTo(before);
    }
}

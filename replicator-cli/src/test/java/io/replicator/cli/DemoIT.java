package io.replicator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's main job, run as a user runs it. */
@Timeout(120)
class DemoIT {
    @TempDir
    Path folder;

    @Test
    void shouldRunQuickstartAndReportEveryWriteMarked() throws Exception {
        Launcher.Result result = new Launcher().run("demo", "--dir", folder.toString(), "--seed", "42");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
            .contains("alpha sync decision: no-sync by rule just-created-both")
            .contains("alpha sync decision: source-set-bitmap by rule just-created-peer")
            .contains("every written block is marked out of sync: yes")
            .contains("crashed primary: yes")
            .contains("alpha sync decision: source-use-bitmap by rule bitmap-self")
            .contains("OK: every write made while bravo was away is marked");
        assertThat(folder.resolve("two-node.res")).exists();
        assertThat(Files.size(folder.resolve("alpha/r0-0.img"))).isGreaterThan(64L << 20);
    }
}

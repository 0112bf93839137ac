package io.replicator.core.config;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Regenerates every golden with the real drbdadm and checks the committed golden is still what drbdadm prints.
 * Skips when drbdadm is not installed, unless {@code -Dreplicator.requireTools=true} (CI), where that fails.
 */
@Timeout(120)
class DrbdadmGoldenTest {
    @Test
    void shouldMatchCommittedGoldensWhenDrbdadmIsInstalled() throws Exception {
        Path drbdadm = findDrbdadm();
        if (drbdadm == null) {
            if (Boolean.getBoolean("replicator.requireTools")) {
                fail("drbdadm is not installed but replicator.requireTools=true: apt-get install -y drbd-utils");
            }
            Assumptions.abort("drbdadm is not installed; skipping the golden regeneration (apt-get install drbd-utils)");
        }
        for (Path file : ConfigCorpusTest.files("good")) {
            Process process = new ProcessBuilder(drbdadm.toString(), "-c", file.getFileName().toString(), "dump", "all")
                .directory(file.getParent().toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String dump = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("drbdadm dump %s", file).isZero();
            String golden = Files.readString(Path.of(file.toString().replace(".res", ".golden")));
            assertThat(ConfigCorpusTest.withoutComments(dump)).as(file.toString())
                .isEqualTo(ConfigCorpusTest.withoutComments(golden));
        }
    }

    private static Path findDrbdadm() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator
            + "/sbin";
        for (String folder : path.split(File.pathSeparator)) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, "drbdadm");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

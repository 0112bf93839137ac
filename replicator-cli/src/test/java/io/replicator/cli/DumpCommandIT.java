package io.replicator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code replicator dump} and the invalid-config exit status through the real launcher, on the corpus. */
@Timeout(300)
class DumpCommandIT {
    private final Launcher launcher = new Launcher();

    private List<Path> corpus(String folder) throws IOException {
        try (Stream<Path> files = Files.list(launcher.home().resolve("fixtures/configs").resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".res")).sorted().toList();
        }
    }

    private static String withoutComments(String text) {
        return text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n"));
    }

    @Test
    void shouldPrintDrbdadmsDumpWhenConfigIsGood() throws Exception {
        for (Path file : corpus("good")) {
            Launcher.Result result = launcher.run("-c", file.toString(), "dump");
            assertThat(result.exitCode()).as(file + ": " + result.err()).isZero();
            String golden = Files.readString(Path.of(file.toString().replace(".res", ".golden")));
            assertThat(withoutComments(result.out())).as(file.toString()).isEqualTo(withoutComments(golden));
        }
    }

    @Test
    void shouldExitTenNamingFileAndLineWhenConfigIsBroken() throws Exception {
        for (Path file : corpus("broken")) {
            Launcher.Result result = launcher.run("-c", file.toString(), "dump");
            assertThat(result.exitCode()).as(file + ": " + result.err()).isEqualTo(10);
            for (String expected : Files.readAllLines(Path.of(file.toString().replace(".res", ".expected")))) {
                int colon = expected.indexOf(':');
                assertThat(result.err()).contains(file + ":" + expected.substring(0, colon) + ":")
                    .contains(expected.substring(colon + 1).trim());
            }
        }
    }

    @Test
    void shouldRejectInvalidConfigWithTenWhenAnyCommandReadsIt() throws Exception {
        Path broken = launcher.home().resolve("fixtures/configs/broken/brief-five-problems.res");
        Launcher.Result result = launcher.run("-c", broken.toString(), "--node", "master", "dump-md", "rs");
        assertThat(result.exitCode()).isEqualTo(10);
        assertThat(result.err()).contains("5 problems").contains("did you mean 'cram-hmac-alg'?");
    }

    @Test
    void shouldDumpOneResourceWhenNamed() throws Exception {
        Path file = launcher.home().resolve("fixtures/configs/good/common-inheritance.res");
        Launcher.Result result = launcher.run("-c", file.toString(), "dump", "db");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("resource db {").doesNotContain("resource web {");
        Launcher.Result missing = launcher.run("-c", file.toString(), "dump", "nope");
        assertThat(missing.exitCode()).isEqualTo(10);
        assertThat(missing.err()).contains("no resource 'nope'").contains("web, db");
    }
}

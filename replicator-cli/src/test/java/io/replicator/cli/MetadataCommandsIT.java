package io.replicator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** create-md and dump-md through the real launcher, on file-backed volumes in a temporary folder. */
@Timeout(120)
class MetadataCommandsIT {
    private final Launcher launcher = new Launcher();

    @TempDir
    Path folder;

    private Path config(String extra) throws IOException {
        String text = Files.readString(launcher.home().resolve("fixtures/configs/two-node.res"))
            .replace("/tmp/replicator", folder.toString()) + extra;
        Path file = folder.resolve("r0.res");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void shouldCreateBackingFileAndPrintFreshGenerationIds() throws Exception {
        Path config = config("");
        Launcher.Result created = launcher.run("create-md", "r0", "-c", config.toString(), "--node", "alpha");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("r0/0: new metadata written to " + folder.resolve("alpha/r0-0.img"));
        assertThat(Files.size(folder.resolve("alpha/r0-0.img"))).isGreaterThan(64L << 20);

        Launcher.Result dump = launcher.run("-c", config.toString(), "--node", "alpha", "dump-md", "r0");
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        assertThat(dump.out())
            .contains("node-id 0;")
            .contains("current-uuid 0x0000000000000004; # just created")
            .contains("flags 0x00000000; # none")
            .contains("peer[0] {\n    node-id 1;")
            .contains("bitmap-uuid 0x0000000000000000;")
            .contains("out-of-sync 0 KiB; # 0 of 16384 blocks")
            .contains("la-size-sect 131072;");
    }

    @Test
    void shouldRefuseToOverwriteMetadataWithoutForce() throws Exception {
        Path config = config("");
        assertThat(launcher.run("create-md", "r0", "-c", config.toString(), "--node", "bravo").exitCode()).isZero();
        Launcher.Result again = launcher.run("create-md", "r0", "-c", config.toString(), "--node", "bravo");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already holds metadata").contains("--force");
        Launcher.Result forced = launcher.run("create-md", "r0", "--force", "-c", config.toString(), "--node", "bravo");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
    }

    @Test
    void shouldExitTenWithFileAndLineForInvalidConfig() throws Exception {
        Path bad = folder.resolve("bad.res");
        Files.writeString(bad, "resource r0 {\n  on alpha { node-id 0; disk /x; disk { size 3T; } }\n}\n");
        Launcher.Result result = launcher.run("create-md", "r0", "-c", bad.toString(), "--node", "alpha");
        assertThat(result.exitCode()).isEqualTo(10);
        assertThat(result.err()).contains(bad + ":2:").contains("invalid unit 'T'");
    }

    @Test
    void shouldNameTheHostsWhenNodeIsUnknown() throws Exception {
        Launcher.Result result = launcher.run("dump-md", "r0", "-c", config("").toString(), "--node", "zulu");
        assertThat(result.exitCode()).isEqualTo(10);
        assertThat(result.err()).contains("no 'on zulu' section (hosts: alpha, bravo)");
    }

    @Test
    void shouldSayRunCreateMdWhenThereIsNoMetadata() throws Exception {
        Path config = config("");
        Files.createDirectories(folder.resolve("alpha"));
        Files.write(folder.resolve("alpha/r0-0.img"), new byte[1 << 20]);
        Launcher.Result result = launcher.run("dump-md", "r0", "-c", config.toString(), "--node", "alpha");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no valid metadata found; run create-md first");
    }

    @Test
    void shouldExitOneWithUsageHintForUnknownOption() throws Exception {
        Launcher.Result result = launcher.run("dump-md", "r0", "--bogus");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Unknown option: '--bogus'").contains("replicator dump-md --help");
    }
}

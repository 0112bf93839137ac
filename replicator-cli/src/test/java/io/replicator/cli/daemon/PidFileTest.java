package io.replicator.cli.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's pid file: names this process, is removed on close only while it still does. */
@Timeout(30)
class PidFileTest {
    @TempDir
    Path folder;

    @Test
    void shouldRecordThisProcessAndRemoveTheFileOnClose() throws Exception {
        Path path = folder.resolve("run/alpha.pid");
        try (PidFile ignored = PidFile.write(path)) {
            assertThat(PidFile.read(path)).isEqualTo(OptionalLong.of(ProcessHandle.current().pid()));
            assertThat(Files.readString(path)).isEqualTo(ProcessHandle.current().pid() + "\n");
        }
        assertThat(path).doesNotExist();
        assertThat(folder.resolve("run")).isDirectory();
    }

    @Test
    void shouldLeaveTheFileWhenANewerDaemonReplacedIt() throws Exception {
        Path path = folder.resolve("bravo.pid");
        PidFile mine = PidFile.write(path);
        Files.writeString(path, "4242\n");
        mine.close();
        assertThat(PidFile.read(path)).isEqualTo(OptionalLong.of(4242));
    }

    @Test
    void shouldReadNothingFromAMissingOrGarbledFile() throws Exception {
        assertThat(PidFile.read(folder.resolve("none.pid"))).isEmpty();
        Files.writeString(folder.resolve("torn.pid"), "12a");
        assertThat(PidFile.read(folder.resolve("torn.pid"))).isEmpty();
    }
}

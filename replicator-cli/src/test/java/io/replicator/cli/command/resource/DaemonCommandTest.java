package io.replicator.cli.command.resource;

import io.replicator.cli.ReplicatorCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code daemon} verb's command line; its running daemon is {@code NodeDaemonUpTest}'s. */
@Timeout(30)
class DaemonCommandTest {
    @TempDir
    Path folder;

    private static DaemonCommand parse(String... args) {
        ParseResult parsed = new CommandLine(new ReplicatorCommand()).parseArgs(args);
        return (DaemonCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void shouldTakeResourcesToBringUpRepeatedOrCommaSeparated() {
        assertThat(parse("daemon").up).isEmpty();
        assertThat(parse("daemon", "--up", "all").up).containsExactly("all");
        assertThat(parse("--node", "alpha", "daemon", "--up", "r0,r1", "--up=r2").up).containsExactly("r0", "r1", "r2");
    }

    @Test
    void shouldRefuseAResourceNotInTheConfigurationBeforeStarting() throws Exception {
        Path config = folder.resolve("node.res");
        Files.writeString(config, """
            resource r0 {
              disk { size 4M; }
              on alpha { node-id 0; address 127.0.0.1:7789; volume 0 { device /dev/drbd0; disk %s; meta-disk internal; } }
              on bravo { node-id 1; address 127.0.0.1:7790; volume 0 { device /dev/drbd0; disk %s; meta-disk internal; } }
            }
            """.formatted(folder.resolve("alpha.img"), folder.resolve("bravo.img")));
        StringWriter err = new StringWriter();

        // A daemon that started would run until stopped: the timeout, not this assertion, would end the test.
        int status = ReplicatorCommand.execute(new String[] {"-c", config.toString(), "--node", "alpha", "daemon",
            "--up", "r0,nope"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));

        assertThat(status).isEqualTo(10);
        assertThat(err.toString()).contains("nope");
    }
}

package io.replicator.cli.command.resync;

import io.replicator.cli.ReplicatorCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** invalidate, invalidate-remote, verify, pause-sync and resume-sync: what they send, and what they refuse. */
@Timeout(30)
class ResyncCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldSendResetBitmapOnlyWhenNo() {
        assertThat(this.<InvalidateCommand>parse("invalidate", "r0").argv()).containsExactly("invalidate", "r0");
        assertThat(this.<InvalidateCommand>parse("invalidate", "r0", "--reset-bitmap=no").argv())
            .containsExactly("invalidate", "r0", "--reset-bitmap=no");
        assertThat(this.<InvalidateRemoteCommand>parse("invalidate-remote", "r0", "--reset-bitmap", "no").argv())
            .containsExactly("invalidate-remote", "r0", "--reset-bitmap=no");
        assertThat(this.<InvalidateRemoteCommand>parse("invalidate-remote", "all", "--reset-bitmap=yes").argv())
            .containsExactly("invalidate-remote", "all");
    }

    @Test
    void shouldSendVerifyRangeInSectors() {
        assertThat(this.<VerifyCommand>parse("verify", "r0").argv()).containsExactly("verify", "r0");
        assertThat(this.<VerifyCommand>parse("verify", "r0", "--start", "1M", "--stop=4096").argv())
            .containsExactly("verify", "r0", "--start=2048", "--stop=4096");
        assertThat(this.<VerifyCommand>parse("verify", "r0", "--stop", "8").argv())
            .containsExactly("verify", "r0", "--stop=8");
    }

    @Test
    void shouldSendPauseAndResume() {
        assertThat(this.<PauseSyncCommand>parse("pause-sync", "r0").argv()).isEqualTo(List.of("pause-sync", "r0"));
        assertThat(this.<ResumeSyncCommand>parse("resume-sync", "r0").argv()).isEqualTo(List.of("resume-sync", "r0"));
    }

    @Test
    void shouldRefuseBadResetBitmapValue() {
        assertThat(run("invalidate", "r0", "--reset-bitmap=maybe")).isEqualTo(1);
        assertThat(err.toString()).contains("--reset-bitmap").contains("expected yes or no, not 'maybe'");
    }

    @Test
    void shouldRefuseNegativeStart() {
        assertThat(run("verify", "r0", "--start=-1")).isEqualTo(1);
        assertThat(err.toString()).contains("--start").contains("'-1' is negative");
    }

    @Test
    void shouldRefuseStopThatIsNotANumber() {
        assertThat(run("verify", "r0", "--stop", "end")).isEqualTo(1);
        assertThat(err.toString()).contains("--stop").contains("'end' is not a number of 512-byte sectors");
    }

    @Test
    void shouldRefuseUnknownUnit() {
        assertThat(run("verify", "r0", "--start", "4q")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown unit 'q'");
    }

    @Test
    void shouldRefuseEmptyRangeBeforeContactingTheDaemon() {
        assertThat(run("verify", "r0", "--start", "2048", "--stop", "1k")).isEqualTo(1);
        assertThat(err.toString())
            .startsWith("replicator: --start (sector 2048) must be before --stop (sector 2)\n")
            .doesNotContain("daemon");
    }

    @Test
    void shouldRefuseMissingResource() {
        assertThat(run("pause-sync")).isEqualTo(1);
        assertThat(err.toString()).contains("RESOURCE");
    }

    @Test
    void shouldDescribeEveryCommandInHelp() {
        for (String verb : List.of("invalidate", "invalidate-remote", "verify", "pause-sync", "resume-sync",
            "wait-connect", "wait-sync")) {
            StringWriter help = new StringWriter();
            ReplicatorCommand.execute(new String[] {verb, "--help"}, new PrintWriter(help, true),
                new PrintWriter(err, true));
            assertThat(help.toString()).as(verb).startsWith("Usage: replicator " + verb).contains("RESOURCE");
        }
        StringWriter list = new StringWriter();
        ReplicatorCommand.execute(new String[] {"--help"}, new PrintWriter(list, true), new PrintWriter(err, true));
        assertThat(list.toString()).contains("invalidate-remote", "verify", "pause-sync", "resume-sync",
            "wait-connect", "wait-sync");
    }

    @Test
    void shouldRefuseNegativeOrMalformedTimeoutBeforeContactingTheDaemon() {
        assertThat(run("wait-sync", "r0", "--timeout", "-1")).isEqualTo(1);
        assertThat(err.toString()).startsWith("replicator: --timeout: -1 is negative; give seconds, or 0 to wait");
        assertThat(run("wait-connect", "r0", "--timeout", "soon")).isEqualTo(1);
        assertThat(err.toString()).contains("--timeout").contains("'soon'");
    }

    private int run(String... args) {
        return ReplicatorCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @SuppressWarnings("unchecked")
    private <T> T parse(String... args) {
        CommandLine line = new CommandLine(new ReplicatorCommand());
        CommandLine.ParseResult result = line.parseArgs(args);
        return (T) result.subcommand().commandSpec().userObject();
    }
}

package io.replicator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command, run as a user runs it: {@code bin/replicator demo} starts two real daemons, kills the
 * Primary under writes, fails over and back, and must end with nothing lost, identical copies, no daemon left
 * running and no scratch folder left behind — also when it is interrupted halfway.
 */
@Timeout(400)
class DemoIT {
    /** Far above the demo's minute on a loaded two-core machine, so that only a hang fails on time. */
    private static final Duration DEMO_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path folder;

    @Test
    void shouldLoseNoAcknowledgedWriteAndEndWithIdenticalCopiesAndNoDaemonLeft() throws Exception {
        Path scratch = folder.resolve("demo");
        Path output = folder.resolve("demo.out");
        Process demo = start(output, "demo", "--dir", scratch.toString(), "--seed", "42");
        try {
            boolean ended = demo.waitFor(DEMO_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String out = Files.readString(output, StandardCharsets.UTF_8);
            System.out.println(out);
            assertThat(ended).as("the demo did not end within %s:\n%s", DEMO_TIMEOUT, out).isTrue();
            assertThat(demo.exitValue()).as(out).isZero();
            assertThat(out)
                .contains("$ replicator --node alpha create-md r0", "$ replicator --node alpha primary --force r0",
                    "$ replicator --node alpha wait-sync --timeout 60 r0", "$ kill -9 $(cat ",
                    "$ replicator --node bravo primary r0", "resync started as SyncTarget",
                    "seed 42 (--seed 42 repeats")
                .containsPattern("(?m)^  lost: 0$")
                // The Prometheus endpoint scraped under the writes.
                .contains("replicator_role{resource=\"r0\",replicator_role=\"Primary\"} 1",
                    "replicator_connection_state{peer=\"bravo\",resource=\"r0\","
                        + "replicator_connection_state=\"Connected\"} 1")
                .containsPattern("(?m)^  replicator_sent_bytes_total\\{peer=\"bravo\",resource=\"r0\",volume=\"0\"} "
                    + "[1-9]")
                .containsPattern("(?m)^  copies: identical \\(sha256 [0-9a-f]{64} on both\\)$")
                .contains("OK: no acknowledged write was lost, and alpha and bravo hold identical copies");
            assertThat(out.split("\\[\\d/9] ", -1)).hasSize(10);
            assertThat(daemonsOf(scratch)).isEmpty();
            assertThat(scratch).doesNotExist();
        } finally {
            stop(demo, scratch);
        }
    }

    @Test
    void shouldStopItsDaemonsAndRemoveItsFolderWhenInterrupted() throws Exception {
        Path scratch = folder.resolve("interrupted");
        Path output = folder.resolve("interrupted.out");
        Process demo = start(output, "demo", "--dir", scratch.toString());
        try {
            // Interrupted while both daemons run and the Primary is being written to.
            String out = awaitOutput(output, "[4/9]", demo);
            assertThat(daemonsOf(scratch)).as(out).hasSize(2);
            new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();

            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
            out = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(demo.exitValue()).as(out).isNotZero();
            assertThat(out).contains("demo interrupted: stopping its daemons");
            assertThat(daemonsOf(scratch)).as(out).isEmpty();
            assertThat(scratch).as(out).doesNotExist();
        } finally {
            stop(demo, scratch);
        }
    }

    @Test
    void shouldRefuseAFolderThatIsNotEmpty() throws Exception {
        Path busy = Files.createDirectories(folder.resolve("busy"));
        Files.writeString(busy.resolve("precious.txt"), "keep me");

        Launcher.Result result = new Launcher().run("demo", "--dir", busy.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains(busy + " is not empty");
        assertThat(busy.resolve("precious.txt")).hasContent("keep me");
        try (Stream<Path> entries = Files.list(busy)) {
            assertThat(entries).hasSize(1);
        }
    }

    /** Starts {@code bin/replicator ARGS} with both output streams in {@code output} (no pipe to fill or block on). */
    private static Process start(Path output, String... args) throws IOException {
        Path home = new Launcher().home();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/replicator").toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(output.toFile())
            .redirectErrorStream(true)
            .start();
    }

    private static String awaitOutput(Path output, String text, Process demo) throws Exception {
        long deadline = System.nanoTime() + DEMO_TIMEOUT.toNanos();
        while (true) {
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (out.contains(text)) {
                return out;
            }
            assertThat(demo.isAlive()).as("the demo ended before '%s':\n%s", text, out).isTrue();
            assertThat(System.nanoTime() - deadline).as("no '%s' within %s:\n%s", text, DEMO_TIMEOUT, out)
                .isNegative();
            Thread.sleep(100);
        }
    }

    /** Running processes whose command line names something under {@code scratch}: the demo's daemons. */
    private static List<ProcessHandle> daemonsOf(Path scratch) {
        String prefix = scratch.toAbsolutePath().toString() + "/";
        return ProcessHandle.allProcesses()
            .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).stream()
                .anyMatch(arg -> arg.startsWith(prefix)))
            .filter(DemoIT::notZombie)
            .toList();
    }

    private static boolean notZombie(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            return process.isAlive() && end + 2 < stat.length() && stat.charAt(end + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    /** Whatever the test did, neither the demo nor a daemon of it outlives the test. */
    private static void stop(Process demo, Path scratch) {
        demo.destroyForcibly();
        daemonsOf(scratch).forEach(ProcessHandle::destroyForcibly);
    }
}

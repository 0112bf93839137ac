package io.replicator.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node daemon's life, driven only through the real bin/replicator: create-md, up (which starts the daemon),
 * primary, status, events, secondary, outdate, down, and the exit statuses of refusals — with its peer bravo absent,
 * so the connection stays Connecting (two connected daemons are ReplicationIT's).
 */
@Timeout(180)
class DaemonLifecycleIT {
    @TempDir
    Path folder;

    private Launcher launcher;
    private Path config;

    private Launcher.Result node(String node, String... args) throws IOException, InterruptedException {
        String[] all = new String[args.length + 4];
        all[0] = "-c";
        all[1] = config.toString();
        all[2] = "--node";
        all[3] = node;
        System.arraycopy(args, 0, all, 4, args.length);
        return launcher.run(all);
    }

    private void setUp() throws IOException {
        launcher = new Launcher(folder.resolve("run"));
        config = folder.resolve("r0.res");
        Files.writeString(config, Files.readString(launcher.home().resolve("fixtures/configs/two-node.res"))
            .replace("/tmp/replicator", folder.toString()));
    }

    @AfterEach
    void stopDaemons() throws Exception {
        if (launcher != null) {
            for (String node : List.of("alpha", "bravo")) {
                node(node, "shutdown");
            }
        }
    }

    @Test
    void shouldRunTwoNodesThroughTheirLifecycle() throws Exception {
        setUp();
        // Only alpha runs: its connection to bravo stays Connecting (ReplicationIT covers two connected nodes).
        assertThat(node("alpha", "create-md", "r0").exitCode()).isZero();
        Launcher.Result up = node("alpha", "up", "r0");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(folder.resolve("run/alpha.sock")).exists();
        assertThat(folder.resolve("run/bravo.sock")).doesNotExist();

        assertThat(node("alpha", "status", "r0").out())
            .isEqualTo("r0 role:Secondary\n  disk:Inconsistent\n  bravo connection:Connecting\n\n");
        assertThat(node("alpha", "dstate", "r0").out()).isEqualTo("Inconsistent/DUnknown\n");
        assertThat(node("alpha", "cstate", "r0").out()).isEqualTo("Connecting\n");

        Launcher.Result refused = node("alpha", "primary", "r0");
        assertThat(refused.exitCode()).isEqualTo(17);
        assertThat(refused.err()).contains("(-2) Need access to UpToDate data").contains("primary --force");

        Launcher.Result promoted = node("alpha", "primary", "r0", "--force");
        assertThat(promoted.exitCode()).as(promoted.err()).isZero();
        assertThat(node("alpha", "role", "r0").out()).isEqualTo("Primary\n");
        assertThat(node("alpha", "status", "r0").out())
            .isEqualTo("r0 role:Primary\n  disk:UpToDate\n  bravo connection:Connecting\n\n");
        assertThat(node("bravo", "role", "r0").exitCode()).as("bravo's daemon is not running").isEqualTo(20);
        assertThat(node("alpha", "get-gi", "r0").out()).matches("[0-9A-F]{16}:[0-9A-F]{16}:[0-9A-F]{16}:"
            + "[0-9A-F]{16}:.*\n");

        Launcher.Result events = node("alpha", "events", "r0", "--now");
        assertThat(events.exitCode()).isZero();
        assertThat(events.out())
            .contains("exists resource name:r0 role:Primary")
            .contains("exists device name:r0 volume:0 minor:0")
            .contains("disk:UpToDate")
            .contains("exists connection name:r0 peer-node-id:1 conn-name:bravo connection:Connecting role:Unknown")
            .endsWith("exists -\n");

        assertAChangeReachesAnEventsClientAtOnce();

        assertThat(node("alpha", "secondary", "r0").exitCode()).isZero();
        assertThat(node("alpha", "role", "r0").out()).isEqualTo("Secondary\n");
        assertThat(node("alpha", "outdate", "r0").exitCode()).isZero();
        assertThat(node("alpha", "dstate", "r0").out()).isEqualTo("Outdated/DUnknown\n");

        Launcher.Result down = node("alpha", "down", "r0");
        assertThat(down.exitCode()).as(down.err()).isZero();
        Launcher.Result notUp = node("alpha", "role", "r0");
        assertThat(notUp.exitCode()).isEqualTo(11);
        assertThat(notUp.err()).contains("not up on node alpha");

        // The metadata remembers what happened: alpha was promoted (new generation) and outdated; clean shutdown.
        assertThat(node("alpha", "dump-md", "r0").out()).contains("flags 0x").contains("outdated")
            .contains("al-clean").doesNotContain("primary-ind");
    }

    /**
     * A streaming {@code events} client sees {@code suspend-io}'s change well before the stream next falls idle: the
     * daemon flushed lines only after 500 ms without one, which delayed the promoter's failover by up to a second.
     */
    private void assertAChangeReachesAnEventsClientAtOnce() throws Exception {
        java.util.concurrent.BlockingQueue<Long> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        java.io.Writer lines = new java.io.Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] chars, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    if (chars[i] != '\n') {
                        line.append(chars[i]);
                    } else {
                        if (line.toString().contains("suspended:user")) {
                            seen.add(System.nanoTime());
                        }
                        line.setLength(0);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Thread reader = new Thread(() -> {
            try {
                io.replicator.core.control.ControlClient.call(folder.resolve("run/alpha.sock"),
                    List.of("events", "r0"), new java.io.PrintWriter(lines), new java.io.PrintWriter(
                        java.io.Writer.nullWriter()));
            } catch (IOException ended) {
                // the daemon stopped; the assertion below reports what was seen
            }
        }, "events-client");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(300); // subscribed
        io.replicator.core.control.ControlClient.call(folder.resolve("run/alpha.sock"), List.of("suspend-io", "r0"),
            new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(java.io.Writer.nullWriter()));
        long suspended = System.nanoTime();
        Long arrived = seen.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(arrived).as("the change reached the events client").isNotNull();
        assertThat((arrived - suspended) / 1_000_000).as("ms until the events client saw suspend-io").isLessThan(400);
        assertThat(node("alpha", "resume-io", "r0").exitCode()).isZero();
    }

    @Test
    void shouldSayTheDaemonIsNotRunningWithExitTwenty() throws Exception {
        setUp();
        Launcher.Result result = node("alpha", "status");
        assertThat(result.exitCode()).isEqualTo(20);
        assertThat(result.err()).contains("could not be reached").contains("replicator up");
    }

    @Test
    void shouldRefuseUpOfInvalidConfigWithoutStartingADaemon() throws Exception {
        setUp();
        Files.writeString(config, "resource r0 { on alpha { node-id 0; disk /x; disk { size 3T; } } }\n");
        Launcher.Result result = node("alpha", "up", "r0");
        assertThat(result.exitCode()).isEqualTo(10);
        assertThat(folder.resolve("run/alpha.sock")).doesNotExist();
    }
}

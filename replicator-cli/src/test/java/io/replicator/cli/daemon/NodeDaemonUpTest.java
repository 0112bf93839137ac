package io.replicator.cli.daemon;

import io.replicator.core.config.Configuration;
import io.replicator.core.config.VolumeConfig;
import io.replicator.core.control.ControlClient;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.VolumeStorage;
import io.replicator.core.resource.VolumeOpener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code daemon --up}: the daemon brings resources up itself once it listens, and runs on when one fails. */
@Timeout(60)
class NodeDaemonUpTest {
    @TempDir
    Path folder;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** r0 has metadata on alpha; r1's disk was never created. */
    private Path config() throws Exception {
        Path config = folder.resolve("node.res");
        Files.writeString(config, """
            resource r0 {
              disk { size 4M; }
              on alpha { node-id 0; address 127.0.0.1:7789; volume 0 { device /dev/drbd0; disk %s; meta-disk internal; } }
              on bravo { node-id 1; address 127.0.0.1:7790; volume 0 { device /dev/drbd0; disk %s; meta-disk internal; } }
            }
            resource r1 {
              disk { size 4M; }
              on alpha { node-id 0; address 127.0.0.1:7791; volume 0 { device /dev/drbd1; disk %s; meta-disk internal; } }
              on bravo { node-id 1; address 127.0.0.1:7792; volume 0 { device /dev/drbd1; disk %s; meta-disk internal; } }
            }
            """.formatted(folder.resolve("r0-alpha.img"), folder.resolve("r0-bravo.img"),
            folder.resolve("r1-alpha.img"), folder.resolve("r1-bravo.img")));
        VolumeConfig volume = Configuration.load(config).resource("r0").host("alpha").orElseThrow()
            .volume(0).orElseThrow();
        VolumeStorage.create(volume, new BackingDisk.Format(0, List.of(1), 1, 1237, volume.sizeBytes(), 7)).close();
        return config;
    }

    private String ask(Path socket, String... argv) throws Exception {
        StringWriter answer = new StringWriter();
        int status = ControlClient.call(socket, List.of(argv), new PrintWriter(answer), new PrintWriter(answer));
        return status + " " + answer.toString().trim();
    }

    @Test
    void shouldBringEveryResourceUpAndRunOnWhenOneFails() throws Exception {
        Path socket = folder.resolve("run/alpha.sock");
        NodeDaemon daemon = NodeDaemon.start(config(), "alpha", socket, VolumeOpener.STORAGE);
        try {
            int status = daemon.up(List.of("all"), new PrintWriter(out, true), new PrintWriter(err, true));

            assertThat(status).as(err.toString()).isNotZero();
            assertThat(err.toString()).contains("r1: ");
            assertThat(ask(socket, "role", "r0")).isEqualTo("0 Secondary");
            assertThat(ask(socket, "dstate", "r0")).startsWith("0 Inconsistent/");
            assertThat(ControlClient.isAlive(socket)).as("the daemon runs on after r1 failed").isTrue();
        } finally {
            daemon.close();
        }
    }

    @Test
    void shouldBringNamedResourcesUpAndNothingElse() throws Exception {
        Path socket = folder.resolve("run/alpha.sock");
        NodeDaemon daemon = NodeDaemon.start(config(), "alpha", socket, VolumeOpener.STORAGE);
        try {
            assertThat(daemon.up(List.of("r0"), new PrintWriter(out, true), new PrintWriter(err, true)))
                .as(err.toString()).isZero();
            assertThat(ask(socket, "role", "r0")).isEqualTo("0 Secondary");
            assertThat(ask(socket, "role", "r1")).startsWith("11 r1: not up on node alpha");
            assertThat(daemon.up(List.of(), new PrintWriter(out, true), new PrintWriter(err, true))).isZero();
        } finally {
            daemon.close();
        }
    }
}

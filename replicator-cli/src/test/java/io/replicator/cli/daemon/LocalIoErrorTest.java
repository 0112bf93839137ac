package io.replicator.cli.daemon;

import io.replicator.core.config.Configuration;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.config.VolumeConfig;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.VolumeStorage;
import io.replicator.core.volume.Durability;
import io.replicator.core.volume.FileVolume;
import io.replicator.fixtures.FaultyVolume;
import io.replicator.core.control.ControlClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A backing disk that starts failing with EIO, under {@code on-io-error detach}, through the real control socket. */
@Timeout(60)
class LocalIoErrorTest {
    @TempDir
    Path folder;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int call(Path socket, String... argv) throws Exception {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return ControlClient.call(socket, List.of(argv), new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void shouldDetachCallHandlerAndKeepServingWhenBackingDiskFails() throws Exception {
        Path handlerOutput = folder.resolve("handler.env");
        Path config = folder.resolve("r0.res");
        Files.writeString(config, """
            resource r0 {
              handlers { local-io-error "env | grep ^DRBD_ | sort > %s"; }
              disk { size 16M; on-io-error detach; }
              on alpha { node-id 0; address 127.0.0.1:7789; volume 0 { device /dev/drbd0; disk %s; meta-disk internal; } }
              on bravo { node-id 1; address 127.0.0.1:7790; volume 0 { device /dev/drbd0; disk %s; meta-disk internal; } }
            }
            """.formatted(handlerOutput, folder.resolve("alpha.img"), folder.resolve("bravo.img")));
        ResourceConfig resource = Configuration.load(config).resource("r0");
        VolumeConfig volume = resource.host("alpha").orElseThrow().volume(0).orElseThrow();
        VolumeStorage.create(volume, new BackingDisk.Format(0, List.of(1), 1, 1237, volume.sizeBytes(), 7)).close();

        AtomicReference<FaultyVolume> faulty = new AtomicReference<>();
        Path socket = folder.resolve("run/alpha.sock");
        NodeDaemon daemon = NodeDaemon.start(config, "alpha", socket, v -> {
            FaultyVolume view = FaultyVolume.passThrough(FileVolume.open(Path.of(v.disk()), Durability.FORCE));
            faulty.set(view);
            return BackingDisk.open(view, Optional.empty());
        });
        try {
            assertThat(call(socket, "up", "r0")).as(err.toString()).isZero();
            assertThat(call(socket, "primary", "r0", "--force")).as(err.toString()).isZero();

            faulty.get().failAlways(FaultyVolume.Operation.WRITE);
            assertThat(call(socket, "new-current-uuid", "r0")).isEqualTo(1);
            assertThat(err.toString()).contains("local I/O error").contains("Input/output error (injected)")
                .contains("detached (on-io-error detach)");

            assertThat(call(socket, "dstate", "r0")).isZero();
            assertThat(out.toString()).isEqualTo("Diskless/DUnknown\n");
            long deadline = System.nanoTime() + 20_000_000_000L;
            // The shell creates the file before env has written to it: wait for the content, not the file.
            while (!(Files.exists(handlerOutput) && Files.readString(handlerOutput).contains("DRBD_VOLUME="))
                && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.readString(handlerOutput)).contains("DRBD_RESOURCE=r0").contains("DRBD_VOLUME=0")
                .contains("DRBD_MINOR=0").contains("DRBD_BACKING_DEV=" + folder.resolve("alpha.img"))
                .contains("DRBD_PEER_ADDRESS=127.0.0.1").contains("DRBD_MY_AF=ipv4");
            assertThat(call(socket, "role", "r0")).isZero();
        } finally {
            daemon.close();
        }
    }
}

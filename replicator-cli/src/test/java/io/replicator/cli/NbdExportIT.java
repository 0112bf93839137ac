package io.replicator.cli;

import io.replicator.fixtures.RequiredTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Primary's volume as a block device: qemu-io writes through the daemon's NBD export, the data lands in the
 * backing file and is marked out of sync toward the absent peer; a Secondary refuses attaches; demoting with a client
 * attached is refused with its address, and {@code secondary --force} cuts it off.
 */
@Timeout(180)
class NbdExportIT {
    @TempDir
    Path folder;

    private Launcher launcher;
    private Path config;
    private int port;

    private Launcher.Result alpha(String... args) throws IOException, InterruptedException {
        String[] all = new String[args.length + 4];
        all[0] = "-c";
        all[1] = config.toString();
        all[2] = "--node";
        all[3] = "alpha";
        System.arraycopy(args, 0, all, 4, args.length);
        return launcher.run(all);
    }

    @AfterEach
    void stop() throws Exception {
        if (launcher != null) {
            alpha("shutdown");
        }
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = start(command);
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return "exit " + process.exitValue() + "\n" + output;
    }

    @Test
    void shouldServeThePrimarysVolumeAndRefuseDemotionWhileHeldOpen() throws Exception {
        RequiredTools.require("qemu-io", "qemu-utils");
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        launcher = new Launcher(folder.resolve("run"));
        config = folder.resolve("r0.res");
        Files.writeString(config, Files.readString(launcher.home().resolve("fixtures/configs/two-node.res"))
            .replace("/tmp/replicator", folder.toString())
            .replace("address 127.0.0.1:7789;", "address 127.0.0.1:7789;\n    nbd-listen 127.0.0.1:" + port + ";"));
        assertThat(alpha("create-md", "r0").exitCode()).isZero();
        assertThat(alpha("up", "r0").exitCode()).isZero();
        String uri = "nbd://127.0.0.1:" + port + "/r0";

        String refused = run(List.of("qemu-io", "-f", "raw", uri, "-c", "read 0 4k"));
        assertThat(refused).doesNotStartWith("exit 0").contains("Secondary on node alpha");

        assertThat(alpha("primary", "r0", "--force").exitCode()).isZero();
        String written = run(List.of("qemu-io", "-f", "raw", uri, "-c", "write -P 0xab 1M 1M", "-c",
            "read -P 0xab 1M 1M", "-c", "flush"));
        assertThat(written).startsWith("exit 0").contains("wrote 1048576/1048576").contains("read 1048576/1048576")
            .doesNotContain("Pattern verification failed");

        try (FileChannel file = FileChannel.open(folder.resolve("alpha/r0-0.img"))) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            file.read(block, (1 << 20) + 4096);
            assertThat(block.array()).containsOnly((byte) 0xab);
        }
        // Bits under a hot activity-log extent live in memory until eviction or a clean detach: ask the daemon.
        assertThat(alpha("status", "r0", "--statistics").out()).contains("out-of-sync:1024");

        Process holder = start(List.of("qemu-io", "-f", "raw", uri));
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            Launcher.Result demote = alpha("secondary", "r0");
            while (demote.exitCode() == 0 && System.nanoTime() < deadline) {
                // qemu-io had not attached yet; promote back and retry once it has.
                alpha("primary", "r0");
                Thread.sleep(200);
                demote = alpha("secondary", "r0");
            }
            assertThat(demote.exitCode()).isEqualTo(11);
            assertThat(demote.err()).contains("(-12) Device is held open by someone").contains("127.0.0.1:");

            Launcher.Result forced = alpha("secondary", "r0", "--force");
            assertThat(forced.exitCode()).as(forced.err()).isZero();
            assertThat(alpha("role", "r0").out()).isEqualTo("Secondary\n");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(20, TimeUnit.SECONDS);
            holder.destroyForcibly();
        }
    }
}

package io.replicator.net.nbd;

import io.replicator.net.testing.NettyLeakCheck;
import io.replicator.core.volume.Durability;
import io.replicator.core.volume.FileVolume;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The server against real clients over loopback and a Unix socket: libnbd tools, QEMU and fio. */
@Timeout(300)
@ExtendWith(NettyLeakCheck.class)
class NbdInteropTest {
    private static final long SIZE = 64L << 20;
    private static final String NAME = "vol0";
    private static final String DESCRIPTION = "test volume zero";

    @TempDir
    Path dir;
    private FileVolume volume;
    private NbdServer server;
    private String uri;
    private Path socket;

    @BeforeEach
    void start() throws IOException {
        volume = FileVolume.create(dir.resolve("backing.img"), SIZE, Durability.FORCE);
        NbdExport export = new NbdExport(NAME, DESCRIPTION, new VolumeNbdBackend(volume), false);
        NbdExports exports = NbdExports.withDefault(export);
        socket = dir.resolve("nbd.sock");
        server = NbdServer.start(List.of(new InetSocketAddress("127.0.0.1", 0), UnixDomainSocketAddress.of(socket)),
            exports, NbdServer.Options.defaults());
        SocketAddress tcp = server.boundAddresses().get(0);
        uri = "nbd://127.0.0.1:" + ((InetSocketAddress) tcp).getPort() + "/" + NAME;
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        volume.close();
    }

    @Test
    void shouldShowSizeNameDescriptionBlockSizesAndFlagsWhenNbdinfoAsks() throws Exception {
        ExternalTool.require("nbdinfo");
        String info = ExternalTool.check(60, "nbdinfo", uri);
        assertThat(info)
            .contains("export=\"" + NAME + "\"")
            .containsPattern("export-size: " + SIZE)
            .contains("description: " + DESCRIPTION)
            .containsPattern("block_size_minimum: 1\\b")
            .contains("block_size_preferred: 4096")
            .contains("block_size_maximum: 33554432")
            .contains("is_read_only: false")
            .contains("can_flush: true")
            .contains("can_fua: true")
            .contains("can_trim: true")
            .contains("can_zero: true")
            .contains("can_fast_zero: true")
            .contains("can_cache: true")
            .contains("can_multi_conn: true")
            .contains("can_df: false")
            .contains("newstyle-fixed");
        String list = ExternalTool.check(60, "nbdinfo", "--list", uri);
        assertThat(list).contains(NAME).contains(DESCRIPTION);
    }

    @Test
    void shouldReadBackThePatternWhenQemuIoWritesIt() throws Exception {
        ExternalTool.require("qemu-io");
        String out = ExternalTool.check(120, "qemu-io", "-f", "raw", uri,
            "-c", "write -P 0xab 0 1M", "-c", "read -P 0xab 0 1M",
            "-c", "write -z 1M 64k", "-c", "read -P 0 1M 64k",
            "-c", "discard 2M 64k", "-c", "read -P 0 2M 64k", "-c", "flush");
        assertThat(out).doesNotContain("Pattern verification failed").doesNotContain("failed");
        byte[] head = Files.readAllBytes(dir.resolve("backing.img"));
        assertThat(head[0]).isEqualTo((byte) 0xab);
        assertThat(head[(1 << 20) - 1]).isEqualTo((byte) 0xab);
        assertThat(head[1 << 20]).isZero();
    }

    @Test
    void shouldCompareEqualWhenQemuImgConvertsAnImageIntoTheExport() throws Exception {
        ExternalTool.require("qemu-img");
        Path source = randomFile("source.img", SIZE, 7);
        ExternalTool.check(120, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), uri);
        String compare = ExternalTool.check(120, "qemu-img", "compare", "-f", "raw", "-F", "raw",
            source.toString(), uri);
        assertThat(compare).contains("Images are identical");
    }

    @Test
    void shouldCopyBothWaysByteForByteWhenNbdcopyRuns() throws Exception {
        ExternalTool.require("nbdcopy");
        Path source = randomFile("in.img", SIZE, 11);
        ExternalTool.check(120, "nbdcopy", "--flush", source.toString(), uri);
        Path back = dir.resolve("out.img");
        ExternalTool.check(120, "nbdcopy", uri, back.toString());
        assertThat(Files.mismatch(source, back)).isEqualTo(-1L);
    }

    @Test
    void shouldVerifyEveryBlockWhenFioWritesRandomlyOverManyConnections() throws Exception {
        ExternalTool.require("fio");
        String common = "--ioengine=nbd --uri=" + uri + " --bs=4k --iodepth=32 --size=16m --verify=crc32c"
            + " --name=v --group_reporting";
        ExternalTool.check(240, ("fio " + common + " --rw=randwrite --do_verify=1 --numjobs=2 --offset_increment=16m")
            .split(" "));
        String verify = ExternalTool.check(240, ("fio " + common + " --rw=randread --verify_only --numjobs=2"
            + " --offset_increment=16m").split(" "));
        assertThat(verify).contains("err= 0");
    }

    @Test
    void shouldServeQemuIoAndNbdcopyAtOnceWhenBothAttach() throws Exception {
        ExternalTool.require("qemu-io", "nbdcopy");
        Path source = randomFile("half.img", SIZE / 2, 13);
        CompletableFuture<String> copy = CompletableFuture.supplyAsync(() -> {
            try {
                return ExternalTool.check(120, "nbdcopy", "--connections=4", "--flush", source.toString(), uri);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        String io = ExternalTool.check(120, "qemu-io", "-f", "raw", uri,
            "-c", "write -P 0x5a 48M 4M", "-c", "read -P 0x5a 48M 4M");
        copy.join();
        assertThat(io).doesNotContain("Pattern verification failed");
        Path back = dir.resolve("back.img");
        ExternalTool.check(120, "nbdcopy", uri, back.toString());
        assertThat(Files.mismatch(source, slice(back, 0, SIZE / 2))).isEqualTo(-1L);
        byte[] all = Files.readAllBytes(back);
        assertThat(all[48 << 20]).isEqualTo((byte) 0x5a);
        assertThat(all[(52 << 20) - 1]).isEqualTo((byte) 0x5a);
    }

    @Test
    void shouldServeOverTheUnixSocketWhenTheUriNamesIt() throws Exception {
        ExternalTool.require("qemu-io", "nbdinfo");
        String unixUri = "nbd+unix:///" + NAME + "?socket=" + socket;
        assertThat(ExternalTool.check(60, "nbdinfo", "--size", unixUri).trim()).isEqualTo(Long.toString(SIZE));
        String out = ExternalTool.check(60, "qemu-io", "-f", "raw", unixUri,
            "-c", "write -P 0x11 4k 8k", "-c", "read -P 0x11 4k 8k");
        assertThat(out).doesNotContain("Pattern verification failed");
    }

    private Path randomFile(String name, long bytes, long seed) throws IOException {
        byte[] data = new byte[(int) bytes];
        new Random(seed).nextBytes(data);
        // Leave some zero runs so clients that skip zeros take that path too.
        java.util.Arrays.fill(data, 1 << 20, 3 << 20, (byte) 0);
        Path path = dir.resolve(name);
        Files.write(path, data);
        return path;
    }

    private Path slice(Path file, long from, long length) throws IOException {
        byte[] all = Files.readAllBytes(file);
        Path part = dir.resolve(file.getFileName() + ".part");
        Files.write(part, java.util.Arrays.copyOfRange(all, (int) from, (int) (from + length)));
        return part;
    }
}

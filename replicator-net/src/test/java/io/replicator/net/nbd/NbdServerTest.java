package io.replicator.net.nbd;

import io.replicator.net.testing.NettyLeakCheck;
import io.replicator.fixtures.InMemoryVolume;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.netty.channel.EventLoopGroup;
import io.replicator.net.transport.NettyTransport;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.replicator.net.nbd.NbdDescriptor.CMD_DISC;
import static io.replicator.net.nbd.NbdDescriptor.CMD_FLUSH;
import static io.replicator.net.nbd.NbdDescriptor.CMD_READ;
import static io.replicator.net.nbd.NbdDescriptor.CMD_TRIM;
import static io.replicator.net.nbd.NbdDescriptor.CMD_WRITE;
import static io.replicator.net.nbd.NbdDescriptor.CMD_WRITE_ZEROES;
import static org.assertj.core.api.Assertions.assertThat;

/** The transmission phase over a real socket: data, the spec's errors, structured replies, disconnect. */
@Timeout(60)
@ExtendWith(NettyLeakCheck.class)
class NbdServerTest {
    static final long SIZE = 1 << 20;
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    NbdServer server;
    InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        Map<String, NbdExport> exports = Map.of(
            "rw", new NbdExport("rw", "writable", new VolumeNbdBackend(new InMemoryVolume(SIZE)), false),
            "ro", new NbdExport("ro", "read-only", new VolumeNbdBackend(new InMemoryVolume(SIZE)), true));
        server = NbdServer.start(List.of(new InetSocketAddress("127.0.0.1", 0)), NbdExports.of(exports.get("rw"), exports.get("ro")), NbdServer.Options.defaults().withErrorLog(failures::add));
        address = (InetSocketAddress) server.boundAddresses().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(failures).isEmpty();
    }

    /**
     * A daemon lends a resource's peer loop: attached connections move there, the handshake stays off it, and
     * closing the server leaves it running.
     */
    @Test
    void aServerOnLentLoopsServesOnThemAndLeavesThemRunning() throws Exception {
        EventLoopGroup lent = NettyTransport.preferred().newGroup(1);
        Path socket = Files.createTempDirectory("nbd-lent").resolve("r0.nbd");
        try {
            NbdExport export = new NbdExport("rw", "writable", new VolumeNbdBackend(new InMemoryVolume(SIZE)), false);
            // A daemon's export lookup may wait for the resource's owner, which may wait for the lent loop: the
            // handshake must not run there (Netty refuses a blocking get on its own loop).
            NbdExports waitsForTheLentLoop = new NbdExports() {
                @Override
                public List<NbdExport> list() {
                    return List.of(export);
                }

                @Override
                public Optional<NbdExport> find(String name) {
                    try {
                        lent.submit(() -> { }).get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("the lookup could not wait for the lent loop", e);
                    }
                    return NbdExports.of(export).find(name);
                }
            };
            for (int round = 0; round < 2; round++) {
                NbdServer onLoop = NbdServer.start(List.of(new InetSocketAddress("127.0.0.1", 0),
                    UnixDomainSocketAddress.of(socket)), waitsForTheLentLoop, NbdServer.Options.defaults()
                    .withErrorLog(failures::add), lent);
                try {
                    assertThat(onLoop.boundAddresses()).hasSize(2).element(1)
                        .isEqualTo(UnixDomainSocketAddress.of(socket));
                    try (NbdTestClient client = NbdTestClient.attach(
                        (InetSocketAddress) onLoop.boundAddresses().get(0), "rw", false)) {
                        client.request(0, CMD_WRITE, 1, 0, 4096, new byte[4096]);
                        assertThat(client.readReply(0).error()).isZero();
                    }
                    try (SocketChannel unix = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                        ByteBuffer greeting = ByteBuffer.allocate(8);
                        while (greeting.hasRemaining() && unix.read(greeting) >= 0) {
                            // read the magic
                        }
                        assertThat(new String(greeting.array(), StandardCharsets.US_ASCII)).isEqualTo("NBDMAGIC");
                    }
                } finally {
                    onLoop.close();
                }
                assertThat(lent.isShuttingDown()).isFalse();
            }
        } finally {
            lent.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        }
    }

    @Test
    void shouldReadBackWhatWasWrittenWhenOffsetsAreInRange() throws IOException {
        try (NbdTestClient client = NbdTestClient.attach(address, "rw", false)) {
            byte[] data = new byte[8192];
            Arrays.fill(data, (byte) 0x42);
            client.request(NbdDescriptor.CMD_FLAG_FUA, CMD_WRITE, 1, 4096, data.length, data);
            assertThat(client.readReply(0).error()).isZero();
            client.request(0, CMD_READ, 2, 4096, data.length, null);
            NbdTestClient.Reply read = client.readReply(data.length);
            assertThat(read.cookie()).isEqualTo(2);
            assertThat(read.data()).isEqualTo(data);
            client.request(0, CMD_WRITE_ZEROES, 3, 4096, 4096, null);
            assertThat(client.readReply(0).error()).isZero();
            client.request(0, CMD_FLUSH, 4, 0, 0, null);
            assertThat(client.readReply(0).error()).isZero();
            client.request(0, CMD_READ, 5, 4096, 8192, null);
            byte[] after = client.readReply(8192).data();
            assertThat(after[0]).isZero();
            assertThat(after[4096]).isEqualTo((byte) 0x42);
        }
    }

    @Test
    void shouldAnswerTheSpecErrorWhenARequestIsOutOfRangeOrBad() throws IOException {
        try (NbdTestClient client = NbdTestClient.attach(address, "rw", false)) {
            client.request(0, CMD_READ, 1, SIZE - 10, 20, null);
            assertThat(client.readReply(20).error()).isEqualTo(NbdException.EINVAL);
            client.request(0, CMD_WRITE, 2, SIZE - 10, 20, new byte[20]);
            assertThat(client.readReply(0).error()).isEqualTo(NbdException.ENOSPC);
            client.request(0, CMD_TRIM, 3, -4096, 4096, null);
            assertThat(client.readReply(0).error()).isEqualTo(NbdException.ENOSPC);
            client.request(1 << 7, CMD_READ, 4, 0, 512, null);
            assertThat(client.readReply(512).error()).isEqualTo(NbdException.EINVAL);
            client.request(NbdDescriptor.CMD_FLAG_NO_HOLE, CMD_WRITE, 5, 0, 4, new byte[4]);
            assertThat(client.readReply(0).error()).isEqualTo(NbdException.EINVAL);
            client.request(0, 99, 6, 0, 0, null);
            assertThat(client.readReply(0).error()).isEqualTo(NbdException.EINVAL);
            client.request(0, CMD_READ, 7, 0, NbdDescriptor.MAX_PAYLOAD_BYTES + 1, null);
            assertThat(client.readReply(0).error()).isEqualTo(NbdException.EINVAL);
            client.request(NbdDescriptor.CMD_FLAG_FAST_ZERO, CMD_WRITE_ZEROES, 8, 0, 4096, null);
            assertThat(client.readReply(0).error()).isEqualTo(NbdException.ENOTSUP);
            // An oversized WRITE is skipped and refused; the stream stays in sync.
            int oversized = NbdDescriptor.MAX_PAYLOAD_BYTES + 4096;
            client.request(0, CMD_WRITE, 9, 0, oversized, new byte[oversized]);
            assertThat(client.readReply(0).error()).isEqualTo(NbdException.EINVAL);
            client.request(0, CMD_READ, 10, 0, 16, null);
            NbdTestClient.Reply read = client.readReply(16);
            assertThat(read.error()).isZero();
            assertThat(read.cookie()).isEqualTo(10);
        }
    }

    @Test
    void shouldRefuseWithEpermWhenTheExportIsReadOnly() throws IOException {
        try (NbdTestClient client = NbdTestClient.attach(address, "ro", false)) {
            assertThat(client.transmissionFlags & NbdDescriptor.TFLAG_READ_ONLY).isNotZero();
            client.request(0, CMD_WRITE, 1, 0, 4, new byte[4]);
            assertThat(client.readReply(0).error()).isEqualTo(NbdException.EPERM);
            client.request(0, CMD_TRIM, 2, 0, 4, null);
            assertThat(client.readReply(0).error()).isEqualTo(NbdException.EPERM);
            client.request(0, CMD_READ, 3, 0, 4, null);
            assertThat(client.readReply(4).error()).isZero();
        }
    }

    @Test
    void shouldSendOneOffsetDataChunkWhenStructuredRepliesAreNegotiated() throws IOException {
        try (NbdTestClient client = NbdTestClient.attach(address, "rw", true)) {
            client.request(0, CMD_READ, 77, 512, 1024, null);
            assertThat(client.in.readInt()).isEqualTo(NbdDescriptor.STRUCTURED_REPLY_MAGIC);
            assertThat(client.in.readShort()).isEqualTo((short) NbdDescriptor.REPLY_FLAG_DONE);
            assertThat(client.in.readShort()).isEqualTo((short) NbdDescriptor.REPLY_TYPE_OFFSET_DATA);
            assertThat(client.in.readLong()).isEqualTo(77);
            assertThat(client.in.readInt()).isEqualTo(8 + 1024);
            assertThat(client.in.readLong()).isEqualTo(512);
            assertThat(client.in.readNBytes(1024)).hasSize(1024);
            client.request(0, CMD_READ, 78, SIZE, 1, null);
            assertThat(client.in.readInt()).isEqualTo(NbdDescriptor.STRUCTURED_REPLY_MAGIC);
            assertThat(client.in.readShort()).isEqualTo((short) NbdDescriptor.REPLY_FLAG_DONE);
            assertThat(client.in.readShort() & 0xffff).isEqualTo(NbdDescriptor.REPLY_TYPE_ERROR);
            assertThat(client.in.readLong()).isEqualTo(78);
            int length = client.in.readInt();
            ByteBuffer error = ByteBuffer.wrap(client.in.readNBytes(length));
            assertThat(error.getInt()).isEqualTo(NbdException.EINVAL);
            client.request(0, CMD_FLUSH, 79, 0, 0, null);
            assertThat(client.in.readInt()).isEqualTo(NbdDescriptor.STRUCTURED_REPLY_MAGIC);
            assertThat(client.in.readShort()).isEqualTo((short) NbdDescriptor.REPLY_FLAG_DONE);
            assertThat(client.in.readShort()).isEqualTo((short) NbdDescriptor.REPLY_TYPE_NONE);
            assertThat(client.in.readLong()).isEqualTo(79);
            assertThat(client.in.readInt()).isZero();
        }
    }

    @Test
    void shouldAnswerEshutdownAndCloseWhenTheExportIsDisconnected() throws IOException {
        try (NbdTestClient rw = NbdTestClient.attach(address, "rw", false);
             NbdTestClient ro = NbdTestClient.attach(address, "ro", false)) {
            rw.request(0, CMD_READ, 1, 0, 4, null);
            assertThat(rw.readReply(4).error()).isZero();
            assertThat(server.clients("rw")).hasSize(1).allMatch(a -> a.contains("127.0.0.1"));
            assertThat(server.disconnect("rw", java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(rw.closedByServer()).isTrue();
            assertThat(server.clients("rw")).isEmpty();
            ro.request(0, CMD_READ, 2, 0, 4, null);
            assertThat(ro.readReply(4).error()).isZero();
            assertThat(server.clients("ro")).hasSize(1);
        }
    }

    @Test
    void shouldCloseWhenTheRequestMagicIsBadOrTheClientDisconnects() throws IOException {
        try (NbdTestClient bad = NbdTestClient.attach(address, "rw", false)) {
            bad.out.writeInt(0xdeadbeef);
            bad.out.write(new byte[24]);
            bad.out.flush();
            assertThat(bad.closedByServer()).isTrue();
        }
        try (NbdTestClient polite = NbdTestClient.attach(address, "rw", false)) {
            polite.request(0, CMD_DISC, 1, 0, 0, null);
            assertThat(polite.closedByServer()).isTrue();
        }
    }

    /**
     * A backend whose writes complete later (as the replicated volume's do, on the peer's ack): each is answered when
     * its stage completes, in completion order, a failed stage with its errno, and more writes wait than the server
     * has I/O threads (none of them is held).
     */
    @Test
    void writesAreAnsweredWhenTheBackendCompletesThem() throws Exception {
        Map<Long, CompletableFuture<Void>> pending = new java.util.concurrent.ConcurrentHashMap<>();
        VolumeNbdBackend memory = new VolumeNbdBackend(new InMemoryVolume(SIZE));
        NbdBackend later = new NbdBackend() {
            @Override
            public long sizeBytes() {
                return memory.sizeBytes();
            }

            @Override
            public void read(long offset, int length, io.netty.buffer.ByteBuf dst) throws NbdException {
                memory.read(offset, length, dst);
            }

            @Override
            public void write(long offset, io.netty.buffer.ByteBuf src, boolean fua) {
                throw new AssertionError("the server writes through writeAsync");
            }

            @Override
            public CompletableFuture<Void> writeAsync(long offset, io.netty.buffer.ByteBuf src, boolean fua)
                throws NbdException {
                memory.write(offset, src, fua);
                CompletableFuture<Void> done = new CompletableFuture<>();
                pending.put(offset, done);
                return done;
            }

            @Override
            public void flush() throws NbdException {
                memory.flush();
            }

            @Override
            public void trim(long offset, long length, boolean fua) throws NbdException {
                memory.trim(offset, length, fua);
            }

            @Override
            public void writeZeroes(long offset, long length, boolean fua, boolean noHole) throws NbdException {
                memory.writeZeroes(offset, length, fua, noHole);
            }
        };
        NbdServer.Options options = NbdServer.Options.defaults().withErrorLog(failures::add);
        NbdServer async = NbdServer.start(List.of(new InetSocketAddress("127.0.0.1", 0)),
            NbdExports.of(new NbdExport("later", "", later, false)), options);
        int writes = options.ioThreads() + 4;
        try (NbdTestClient client = NbdTestClient.attach((InetSocketAddress) async.boundAddresses().get(0), "later",
            false)) {
            for (int i = 0; i < writes; i++) {
                client.request(0, CMD_WRITE, i, i * 4096L, 4096, new byte[4096]);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (pending.size() < writes && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pending).as("every write reached the backend").hasSize(writes);
            pending.get((writes - 1) * 4096L).complete(null);
            NbdTestClient.Reply last = client.readReply(0);
            assertThat(last.cookie()).isEqualTo(writes - 1);
            assertThat(last.error()).isZero();
            pending.get(0L).completeExceptionally(new NbdException(NbdException.ENOSPC, "no room on the peer"));
            NbdTestClient.Reply failed = client.readReply(0);
            assertThat(failed.cookie()).isZero();
            assertThat(failed.error()).isEqualTo(NbdException.ENOSPC);
            pending.get(4096L).completeExceptionally(new IllegalStateException("not an NBD error"));
            assertThat(client.readReply(0).error()).isEqualTo(NbdException.EIO);
            for (int i = 2; i < writes - 1; i++) {
                pending.get(i * 4096L).complete(null);
                assertThat(client.readReply(0)).extracting(NbdTestClient.Reply::cookie, NbdTestClient.Reply::error)
                    .containsExactly((long) i, 0);
            }
        } finally {
            async.close();
        }
    }
}

package io.replicator.net.nbd;

import io.replicator.fixtures.InMemoryVolume;
import io.replicator.net.nbd.client.AckRecordingClient;
import io.replicator.net.nbd.client.GenerationBlock;
import io.replicator.net.nbd.client.IssuedWrite;
import io.replicator.net.nbd.client.NbdReplyException;
import io.replicator.net.nbd.client.RunSummary;
import io.replicator.net.nbd.client.Verification;
import io.replicator.net.nbd.client.WriteRecord;
import io.replicator.net.nbd.client.WriteState;
import io.replicator.net.nbd.client.WriteWorkload;
import io.replicator.net.testing.NettyLeakCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The recording NBD client and write workload against the real NBD server over an in-memory volume: the
 * log matches what the server did, a server closed mid-workload leaves a log whose acknowledged writes are all on the
 * volume, and the verifier finds lost, reordered and misplaced writes when the volume is tampered with.
 */
@Timeout(120)
@ExtendWith(NettyLeakCheck.class)
class AckRecordingClientTest {
    static final int BLOCK = 4096;
    static final long SIZE = 4L << 20;
    final List<Throwable> serverFailures = new CopyOnWriteArrayList<>();
    InMemoryVolume volume;
    NbdServer server;
    InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        volume = new InMemoryVolume(SIZE);
        Map<String, NbdExport> exports = Map.of(
            "rw", new NbdExport("rw", "writable", new VolumeNbdBackend(volume), false),
            "ro", new NbdExport("ro", "read-only", new VolumeNbdBackend(new InMemoryVolume(SIZE)), true));
        server = NbdServer.start(List.of(new InetSocketAddress("127.0.0.1", 0)), NbdExports.of(exports.get("rw"), exports.get("ro")), NbdServer.Options.defaults().withErrorLog(serverFailures::add));
        address = (InetSocketAddress) server.boundAddresses().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldLogEveryWriteAsAckedAndReadItBackWhenTheServerStaysUp() throws Exception {
        try (AckRecordingClient client = AckRecordingClient.connect("nbd://127.0.0.1:" + address.getPort() + "/rw")) {
            assertThat(client.sizeBytes()).isEqualTo(SIZE);
            assertThat(client.readOnly()).isFalse();
            List<AckRecordingClient.PendingWrite> sent = new ArrayList<>();
            for (int block = 0; block < 16; block++) {
                sent.add(client.write((long) block * BLOCK, GenerationBlock.encode(1, block, 1, BLOCK)));
            }
            for (AckRecordingClient.PendingWrite write : sent) {
                assertThat(write.outcome().get(10, TimeUnit.SECONDS).state()).isEqualTo(WriteState.ACKED);
            }
            client.flush().get(10, TimeUnit.SECONDS);
            ByteBuffer read = client.read(5L * BLOCK, BLOCK).get(10, TimeUnit.SECONDS);

            assertThat(GenerationBlock.decode(read, 1, 5)).isEqualTo(new GenerationBlock.Written(1));
            assertThat(client.log().writes()).hasSize(16).allSatisfy(record -> {
                assertThat(record.state()).isEqualTo(WriteState.ACKED);
                assertThat(record.repliedNs()).isGreaterThanOrEqualTo(record.sentNs());
                assertThat(record.lengthBytes()).isEqualTo(BLOCK);
            });
            assertThat(client.log().writes()).extracting(WriteRecord::offsetBytes)
                .containsExactlyElementsOf(LongStream.range(0, 16).map(block -> block * BLOCK).boxed().toList());
            assertThat(client.log().ackedCount()).isEqualTo(16);
        }
        ByteBuffer direct = ByteBuffer.allocate(BLOCK);
        volume.read(direct, 9L * BLOCK);
        assertThat(GenerationBlock.decode(direct.flip(), 1, 9)).isEqualTo(new GenerationBlock.Written(1));
        assertThat(serverFailures).isEmpty();
    }

    @Test
    void shouldLogAFailedWriteWithTheServersError() throws Exception {
        try (AckRecordingClient client = AckRecordingClient.connect(address, "rw");
             AckRecordingClient readOnly = AckRecordingClient.connect(address, "ro")) {
            WriteRecord beyondEnd = client.write(SIZE, ByteBuffer.allocate(BLOCK)).outcome().get(10, TimeUnit.SECONDS);
            WriteRecord refused = readOnly.write(0, ByteBuffer.allocate(BLOCK)).outcome().get(10, TimeUnit.SECONDS);

            assertThat(beyondEnd.state()).isEqualTo(WriteState.FAILED);
            assertThat(beyondEnd.error()).isNotZero();
            assertThat(readOnly.readOnly()).isTrue();
            assertThat(refused.state()).isEqualTo(WriteState.FAILED);
            CompletableFuture<ByteBuffer> badRead = client.read(SIZE, BLOCK);
            assertThatThrownBy(() -> badRead.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NbdReplyException.class);
            assertThat(client.connected()).isTrue();
        }
    }

    @Test
    void shouldFindNothingLostWhenEveryWriteWasAcked() throws Exception {
        WriteWorkload workload = WriteWorkload.withRandomSeed(BLOCK, 256, 8);
        System.out.println("seed " + workload.seed());
        try (AckRecordingClient client = AckRecordingClient.connect(address, "rw")) {
            RunSummary run = workload.run(client, 3000, Duration.ofSeconds(60));

            assertThat(run.issued()).isEqualTo(3000);
            assertThat(run.acked()).isEqualTo(3000);
            assertThat(run.connectionEnd()).isEmpty();
        }
        Verification verification = workload.verify(volume, 0);

        assertThat(verification.ok()).as(verification.toString()).isTrue();
        assertThat(verification.ackedWrites()).isEqualTo(3000);
        assertThat(verification.inFlightWrites()).isZero();
        assertThat(workload.writes()).filteredOn(w -> w.predecessorId() >= 0).hasSize(3000 - 8);
    }

    @Test
    void shouldVerifyThroughTheExportAsOnTheVolumeAndFindARolledBackBlock() throws Exception {
        // More than one read window, and a last window shorter than the others.
        WriteWorkload workload = WriteWorkload.withRandomSeed(BLOCK, 600, 4);
        System.out.println("seed " + workload.seed());
        try (AckRecordingClient client = AckRecordingClient.connect(address, "rw")) {
            workload.run(client, 2000, Duration.ofSeconds(60));
            Verification throughExport = workload.verify(client);
            Verification onVolume = workload.verify(volume, 0);

            assertThat(throughExport.ok()).as(throughExport.toString()).isTrue();
            assertThat(throughExport).isEqualTo(onVolume);
            assertThat(throughExport.blocksChecked()).isEqualTo(600);

            IssuedWrite rolledBack = workload.writes().stream().filter(w -> w.generation() == 2).findFirst()
                .orElseThrow();
            volume.write(GenerationBlock.encode(workload.seed(), rolledBack.block(), 1, BLOCK),
                rolledBack.block() * BLOCK);
            Verification afterTampering = workload.verify(client);

            assertThat(afterTampering.lost()).extracting(Verification.LostWrite::block)
                .containsExactly(rolledBack.block());
        }
        assertThat(serverFailures).isEmpty();
    }

    @Test
    void shouldReportAckedAndInFlightWritesAndLoseNoneWhenTheServerClosesMidWorkload() throws Exception {
        WriteWorkload workload = WriteWorkload.withRandomSeed(BLOCK, 512, 16);
        System.out.println("seed " + workload.seed());
        AckRecordingClient client = AckRecordingClient.connect(address, "rw");
        try {
            CompletableFuture<RunSummary> running = workload.start(client, Long.MAX_VALUE, Duration.ofSeconds(60));
            assertThat(client.log().awaitAcked(2000, Duration.ofSeconds(60))).isTrue();

            server.close();
            RunSummary run = running.get(30, TimeUnit.SECONDS);

            assertThat(run.connectionEnd()).isPresent();
            assertThat(client.connected()).isFalse();
            assertThat(run.acked()).isGreaterThanOrEqualTo(2000);
            assertThat(run.acked() + run.failed() + run.inFlight()).isEqualTo(run.issued());
            assertThat(client.log().writes()).hasSize((int) run.issued());
            assertThat(client.log().writes(WriteState.IN_FLIGHT)).hasSize((int) run.inFlight());
            assertThatThrownBy(() -> client.write(0, ByteBuffer.allocate(BLOCK))).isInstanceOf(IOException.class);
            assertThat(client.log().writes()).hasSize((int) run.issued());

            Verification verification = workload.verify(volume, 0);
            System.out.println(verification);
            assertThat(verification.lost()).as(verification.toString()).isEmpty();
            assertThat(verification.ok()).as(verification.toString()).isTrue();
            assertThat(verification.ackedWrites()).isEqualTo(run.acked());
            assertThat(verification.inFlightWrites()).isEqualTo(run.inFlight());
        } finally {
            client.close();
        }
    }

    @Test
    void shouldFindLostReorderedAndMisplacedWritesWhenTheVolumeIsTamperedWith() throws Exception {
        // iodepth 1: one chain, and (nothing else in flight) block choices depend on the seed alone.
        WriteWorkload workload = new WriteWorkload(20260101, BLOCK, 64, 1);
        System.out.println("seed " + workload.seed());
        try (AckRecordingClient client = AckRecordingClient.connect(address, "rw")) {
            workload.run(client, 400, Duration.ofSeconds(60));
        }
        List<IssuedWrite> writes = workload.writes();
        Map<Long, IssuedWrite> last = new HashMap<>();
        writes.forEach(write -> last.merge(write.block(), write, (a, b) -> a.generation() > b.generation() ? a : b));
        // A pair of the chain whose both writes are still the current contents of their (different) blocks.
        IssuedWrite later = writes.stream().filter(w -> w.predecessorId() >= 0 && last.get(w.block()) == w)
            .filter(w -> {
                IssuedWrite before = writes.get((int) w.predecessorId());
                return before.block() != w.block() && last.get(before.block()) == before;
            }).reduce((a, b) -> b).orElseThrow();
        IssuedWrite earlier = writes.get((int) later.predecessorId());
        IssuedWrite rolledBack = last.values().stream().filter(w -> w.generation() >= 2 && w.block() != later.block()
            && w.block() != earlier.block()).min(Comparator.comparingLong(IssuedWrite::block)).orElseThrow();
        long misplacedBlock = last.keySet().stream()
            .filter(b -> b != later.block() && b != earlier.block() && b != rolledBack.block())
            .min(Long::compare).orElseThrow();

        // The earlier write of the last pair vanishes (zeros), one block goes back a generation, one gets a
        // neighbour's write.
        volume.write(ByteBuffer.allocate(BLOCK), earlier.block() * BLOCK);
        volume.write(GenerationBlock.encode(workload.seed(), rolledBack.block(), rolledBack.generation() - 1, BLOCK),
            rolledBack.block() * BLOCK);
        volume.write(GenerationBlock.encode(workload.seed(), misplacedBlock + 1, 1, BLOCK), misplacedBlock * BLOCK);
        Verification verification = workload.verify(volume, 0);

        assertThat(verification.ok()).isFalse();
        assertThat(verification.lost()).extracting(Verification.LostWrite::block)
            .containsExactlyInAnyOrder(earlier.block(), rolledBack.block());
        assertThat(verification.orderViolations()).extracting(Verification.OrderViolation::earlierBlock)
            .contains(earlier.block());
        assertThat(verification.corrupt()).extracting(Verification.CorruptBlock::block).containsExactly(misplacedBlock);
        assertThat(verification.toString()).contains("seed " + workload.seed());
    }
}

package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.config.Protocol;
import io.replicator.core.replication.PeerPolicy;
import io.replicator.core.replication.ReplicationOutbox;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.WriteRequest;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class VolumeIoTest {
    private static final long DATA = 64L << 20;

    private final List<IOException> reported = new CopyOnWriteArrayList<>();
    private HeapVolume backing;

    private AttachedDisk disk(int alExtents) throws IOException {
        backing = new HeapVolume(MetadataLayout.internalForDataSize(DATA, 2, MetadataLayout.DEFAULT_AL_SIZE_BYTES)
            .backingSizeBytes());
        BackingDisk.create(backing, Optional.empty(), new BackingDisk.Format(0, List.of(1, 2), 2, alExtents, DATA, 9))
            .close();
        return AttachedDisk.attach(BackingDisk.open(backing, Optional.empty()), alExtents);
    }

    /** Node 1 (slot 0) is absent, so every write is marked for it; node 2 (slot 1) is not the log's concern. */
    private VolumeIo io(AttachedDisk disk) {
        return io(disk, new TransferLog(outbox(disk, new ArrayList<>()), 100, List.of(1), System::nanoTime));
    }

    private VolumeIo io(AttachedDisk disk, TransferLog log) {
        VolumeIo.LocalIoErrors errors = new VolumeIo.LocalIoErrors() {
            @Override
            public void failed(VolumeIo io, IOException failure) {
                reported.add(failure);
            }

            @Override
            public void writeFailed(VolumeIo io, long offset, long length, IOException failure) {
                reported.add(failure);
            }
        };
        return new VolumeIo("r0/0", 0, disk, log, errors, () -> { }, new WriteAdmission(), () -> { });
    }

    /** Marks for absent peers; records what it sends to replicating ones in {@code sent}. */
    private static ReplicationOutbox outbox(AttachedDisk disk, List<WriteRequest> sent) {
        ReplicationOutbox marks = new ReplicationOutbox() {
            @Override
            public void sendWrite(int peer, WriteRequest request, int dpFlags) {
                sent.add(request);
            }

            @Override
            public void sendBarrier(int peer, int epoch) {
            }

            @Override
            public void sendOutOfSync(int peer, int volume, long offset, long length) {
            }

            @Override
            public void markOutOfSync(int peer, int volume, long offset, long length) {
                disk.markOutOfSync(peer - 1, offset, length);
            }

            @Override
            public void dropPeer(int peer, String reason) {
            }
        };
        return marks;
    }

    private static ByteBuf text(String value) {
        return Unpooled.copiedBuffer(value, StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteReadAndMarkOnlyTheSlotsThatMissTheWrite() throws IOException {
        AttachedDisk disk = disk(8);
        VolumeIo io = io(disk);
        ByteBuf data = text("hello world");
        io.write(8192, data, true);
        assertThat(data.readerIndex()).as("the payload is not consumed").isZero();
        ByteBuf back = Unpooled.buffer();
        io.read(8192, 11, back);
        assertThat(back.toString(StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(disk.bitmaps().bitmap(0).get(2)).isTrue();
        assertThat(disk.bitmaps().bitmap(1).get(2)).isFalse();
        assertThat(disk.activityLog().isActive(0)).isTrue();
        assertThat(disk.activityLog().pinnedWrites()).isZero();
    }

    @Test
    void shouldServeManyConcurrentWritersThroughASmallActivityLog() throws Exception {
        AttachedDisk disk = disk(2);
        VolumeIo io = io(disk);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                long offset = (i % 16) * (4L << 20) + (i / 16) * 4096L;
                writes.add(pool.submit(() -> {
                    io.write(offset, Unpooled.wrappedBuffer(new byte[4096]), false);
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(disk.activityLog().pinnedWrites()).isZero();
        assertThat(disk.activityLog().activeCount()).isLessThanOrEqualTo(2);
        assertThat(disk.bitmaps().bitmap(0).cardinality()).isEqualTo(400);
    }

    @Test
    void shouldRefuseRequestsAfterClose() throws IOException {
        VolumeIo io = io(disk(8));
        io.close();
        assertThat(io.isClosed()).isTrue();
        assertThatThrownBy(() -> io.write(0, text("x"), false)).isInstanceOf(VolumeIo.ClosedException.class)
            .hasMessageContaining("not served here");
        assertThat(reported).isEmpty();
    }

    @Test
    void shouldReportLocalIoErrorAndUnpinTheExtent() throws IOException {
        AttachedDisk disk = disk(8);
        VolumeIo io = io(disk);
        backing.failNextWrite();
        assertThatThrownBy(() -> io.write(0, text("x"), false)).hasMessageContaining("injected write failure");
        assertThat(reported).hasSize(1);
        assertThat(disk.activityLog().pinnedWrites()).isZero();
        io.write(0, text("y"), false);
    }

    /**
     * With a protocol C peer, writeAsync returns once written locally and completes on the peer's write ack (on the
     * thread that delivers it); close waits for it.
     */
    @Test
    void writeAsyncCompletesOnThePeersAckAndCloseWaitsForIt() throws Exception {
        AttachedDisk disk = disk(8);
        List<WriteRequest> sent = new CopyOnWriteArrayList<>();
        TransferLog log = new TransferLog(outbox(disk, sent), 100, List.of(1), System::nanoTime);
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        VolumeIo io = io(disk, log);
        CompletableFuture<Void> written = io.writeAsync(4096, text("async"), false);
        ByteBuf back = Unpooled.buffer();
        io.read(4096, 5, back);
        assertThat(back.toString(StandardCharsets.UTF_8)).as("written locally on return").isEqualTo("async");
        assertThat(written).as("waits for the peer").isNotDone();

        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            Future<?> closed = closer.submit(io::close);
            Thread.sleep(200);
            assertThat(closed).as("close waits for the write in flight").isNotDone();
            assertThat(log.inFlight()).isEqualTo(1);
            assertThat(sent).hasSize(1);
            log.writeAck(1, sent.get(0).id());
            written.get(10, TimeUnit.SECONDS);
            closed.get(10, TimeUnit.SECONDS);
        } finally {
            closer.shutdown();
        }
        assertThat(reported).isEmpty();
    }

    /** A peer lost before it acked completes the write (marked for it), as the synchronous write does. */
    @Test
    void writeAsyncCompletesWhenThePeerIsLost() throws Exception {
        AttachedDisk disk = disk(8);
        TransferLog log = new TransferLog(outbox(disk, new ArrayList<>()), 100, List.of(1), System::nanoTime);
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        VolumeIo io = io(disk, log);
        CompletableFuture<Void> written = io.writeAsync(0, text("x"), false);
        assertThat(written).isNotDone();
        log.peerLost(1);
        written.get(10, TimeUnit.SECONDS);
        assertThat(disk.bitmaps().bitmap(0).get(0)).as("marked for the lost peer").isTrue();
    }
}

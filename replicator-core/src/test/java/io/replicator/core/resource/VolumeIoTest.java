package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.replicator.core.disk.AttachedDisk;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        ReplicationOutbox marks = new ReplicationOutbox() {
            @Override
            public void sendWrite(int peer, WriteRequest request, int dpFlags) {
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
        return new VolumeIo("r0/0", 0, disk, new TransferLog(marks, 100, List.of(1), System::nanoTime),
            (io, failure) -> reported.add(failure), () -> { });
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
}

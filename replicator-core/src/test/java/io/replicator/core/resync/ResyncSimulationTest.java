package io.replicator.core.resync;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.config.Protocol;
import io.replicator.core.replication.PeerPolicy;
import io.replicator.core.replication.ReplicationOutbox;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.WriteKind;
import io.replicator.core.replication.WriteRequest;
import io.replicator.core.testing.HeapVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole resync between two in-memory nodes, with application writes on the source while it runs: the target's
 * {@link ResyncTargetJob} pulls from a {@link ResyncSource} that reads under the real {@link TransferLog}'s range lock,
 * and the writes go through the same transfer log to the target on the same ordered data stream as the resync
 * answers. Afterwards the two volumes must be byte-identical and both bitmaps clean.
 *
 * <p>Seeded: {@code -Dresync.simulation.seed=N} replays one run, {@code -Dresync.simulation.seeds=K} sets how many
 * seeds a build tries. Thread interleavings are not seeded, so a failure prints the seed and the test may need a few
 * repetitions to reproduce.
 */
@Timeout(300)
class ResyncSimulationTest {
    private static final int BLOCK = (int) DirtyBitmap.BLOCK_BYTES;
    private static final int PEER = 1;
    private static final Object STOP = new Object();

    /** A replicated application write on the data stream. */
    private record Write(long offset, byte[] bytes) {
    }

    @Test
    void shouldLeaveBothVolumesIdenticalAfterAResyncWithConcurrentWrites() throws Exception {
        String one = System.getProperty("resync.simulation.seed");
        long base = one != null ? Long.parseLong(one) : System.nanoTime();
        int seeds = one != null ? 1 : Integer.getInteger("resync.simulation.seeds", 200);
        System.out.println("ResyncSimulationTest: base seed " + base + ", " + seeds + " seeds");
        for (int i = 0; i < seeds; i++) {
            long seed = base + i;
            try {
                runOnce(seed);
            } catch (AssertionError | Exception failure) {
                throw new AssertionError("seed " + seed + " (-Dresync.simulation.seed=" + seed + "): " + failure,
                    failure);
            }
        }
    }

    private void runOnce(long seed) throws Exception {
        Random random = new Random(seed);
        int blocks = 64 + random.nextInt(512);
        long size = (long) blocks * BLOCK + (random.nextBoolean() ? random.nextInt(BLOCK) : 0);
        long blockCount = DirtyBitmap.blocksFor(size);
        HeapVolume sourceVolume = new HeapVolume(size);
        random.nextBytes(sourceVolume.bytes());
        HeapVolume targetVolume = new HeapVolume(size);
        System.arraycopy(sourceVolume.bytes(), 0, targetVolume.bytes(), 0, (int) size);
        DirtyBitmap sourceBits = new DirtyBitmap(blockCount);
        DirtyBitmap targetBits = new DirtyBitmap(blockCount);
        int runs = random.nextInt(40);
        for (int r = 0; r < runs; r++) {
            long first = random.nextInt((int) blockCount);
            long end = Math.min(blockCount, first + 1 + random.nextInt(random.nextBoolean() ? 4 : 400));
            sourceBits.setRange(first, end);
            targetBits.setRange(first, end);
            for (long b = first; b < end; b++) {
                if (random.nextInt(4) != 0) { // some marked blocks are equal anyway
                    int at = (int) (b * BLOCK + random.nextInt((int) Math.min(BLOCK, size - b * BLOCK)));
                    targetVolume.bytes()[at] ^= (byte) (1 + random.nextInt(255));
                }
            }
        }
        BlockDigest csums = random.nextBoolean() ? BlockDigest.of("md5") : null;
        long budget = BLOCK * (1L + random.nextInt(512));
        long maxInFlight = (1L + random.nextInt(4)) << 20;
        int writers = 1 + random.nextInt(2);
        int writesEach = random.nextInt(200);

        BlockingQueue<Object> toTarget = new LinkedBlockingQueue<>();
        BlockingQueue<Object> toSource = new LinkedBlockingQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        TransferLog log = new TransferLog(new StreamOutbox(toTarget), 1000, List.of(PEER), System::nanoTime);
        log.addPeer(PEER, PeerPolicy.of(Protocol.A));
        RangeLock rangeLock = new RangeLock() {
            @Override
            public void lock(int volume, long offset, long length) throws InterruptedException {
                log.lockRange(volume, offset, length);
            }

            @Override
            public void unlock(int volume, long offset, long length) {
                log.unlockRange(volume, offset, length);
            }
        };
        ResyncSource source = new ResyncSource(0, sourceBits, sourceVolume, rangeLock,
            new RecordingPeer(new java.util.concurrent.CopyOnWriteArrayList<>(), toTarget::add), csums,
            System::nanoTime);
        CountDownLatch finished = new CountDownLatch(1);
        ResyncTargetJob job = new ResyncTargetJob(0, targetBits, targetVolume, csums,
            (now, inFlight, back) -> budget, toSource::add, System::nanoTime, maxInFlight, finished::countDown);

        Thread sourceReceiver = thread("source-receiver", failure, () -> {
            for (Object message = toSource.take(); message != STOP; message = toSource.take()) {
                SyncMessage sync = (SyncMessage) message;
                if (sync.kind() == SyncMessage.Kind.WRITE_ACK) {
                    source.onWriteAck(sync);
                } else {
                    source.onRequest(sync);
                }
            }
        });
        Thread targetReceiver = thread("target-receiver", failure, () -> {
            for (Object message = toTarget.take(); message != STOP; message = toTarget.take()) {
                if (message instanceof Write write) {
                    targetVolume.write(ByteBuffer.wrap(write.bytes()), write.offset());
                } else if (message instanceof RecordingPeer.Data data) {
                    job.onData(data.offset(), data.id(), Unpooled.wrappedBuffer(data.bytes()));
                } else {
                    job.onReply((SyncMessage) message);
                }
            }
        });
        List<Thread> writerThreads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Random mine = new Random(seed * 31 + w);
            writerThreads.add(thread("writer-" + w, failure, () -> {
                for (int i = 0; i < writesEach; i++) {
                    int length = BLOCK * (1 + mine.nextInt(4));
                    long offset = (long) mine.nextInt(blocks - length / BLOCK + 1) * BLOCK;
                    byte[] bytes = new byte[length];
                    mine.nextBytes(bytes);
                    WriteRequest request = log.submit(0, offset, length, WriteKind.DATA, false,
                        Unpooled.wrappedBuffer(bytes), () -> { });
                    log.handedOver(PEER, request.id());
                    sourceVolume.write(ByteBuffer.wrap(bytes), offset);
                    log.localCompleted(request, null);
                    if (mine.nextInt(8) == 0) {
                        Thread.yield();
                    }
                }
            }));
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (finished.getCount() > 0 && failure.get() == null) {
            assertThat(System.nanoTime()).as("resync finished in time; %s bits left, %s requests in flight",
                targetBits.cardinality(), job.inFlightRequests()).isLessThan(deadline);
            job.step();
            job.checkFinished();
            LockSupport.parkNanos(50_000);
        }
        for (Thread writer : writerThreads) {
            writer.join(TimeUnit.SECONDS.toMillis(20));
        }
        toTarget.add(STOP);
        targetReceiver.join(TimeUnit.SECONDS.toMillis(20));
        toSource.add(STOP);
        sourceReceiver.join(TimeUnit.SECONDS.toMillis(20));
        if (failure.get() != null) {
            throw new AssertionError("a node thread failed", failure.get());
        }

        assertThat(job.finished()).isTrue();
        assertThat(job.failedBytes()).isZero();
        assertThat(targetBits.cardinality()).isZero();
        assertThat(sourceBits.cardinality()).as("the source cleared its bits on acks and matches").isZero();
        assertThat(firstDifference(sourceVolume.bytes(), targetVolume.bytes())).as("first differing byte")
            .isEqualTo(-1);
    }

    private static int firstDifference(byte[] a, byte[] b) {
        return java.util.Arrays.mismatch(a, b);
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread thread(String name, AtomicReference<Throwable> failure, Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The source's data stream toward the target: replicated writes in the transfer log's order. */
    private static final class StreamOutbox implements ReplicationOutbox {
        private final BlockingQueue<Object> stream;

        StreamOutbox(BlockingQueue<Object> stream) {
            this.stream = stream;
        }

        @Override
        public void sendWrite(int peer, WriteRequest request, int dpFlags) {
            ByteBuf payload = request.payload();
            byte[] bytes = new byte[payload.readableBytes()];
            payload.getBytes(payload.readerIndex(), bytes);
            stream.add(new Write(request.offset(), bytes));
        }

        @Override
        public void sendBarrier(int peer, int epoch) {
        }

        @Override
        public void sendOutOfSync(int peer, int volume, long offset, long length) {
            throw new AssertionError("no out-of-sync notices while replicating");
        }

        @Override
        public void markOutOfSync(int peer, int volume, long offset, long length) {
            throw new AssertionError("nothing goes out of sync while replicating: " + offset + "+" + length);
        }

        @Override
        public void dropPeer(int peer, String reason) {
            throw new AssertionError("peer dropped: " + reason);
        }
    }
}

package io.replicator.core.resync;

import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.volume.Volume;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The sync target's request planning: a fresh {@link ResyncTargetJob} walks the bitmap of a 4 GiB volume (2^20
 * blocks) in one {@link ResyncTargetJob#step()}, with an unlimited pacer and in-flight limit and a sender that only
 * counts, so the score is the cost of the bitmap walk, the coalescing and the in-flight bookkeeping. At
 * {@code dirtyPercent} 1 the dirty blocks are chosen uniformly at random (mostly single-block requests); at 100 every
 * block is dirty (4096 requests of 1 MiB). The aux counters {@code requests} and {@code bytesPlanned} are reported per
 * second: requests planned per second and bytes planned per second.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ResyncTargetJobBenchmark}.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class ResyncTargetJobBenchmark {
    static final long VOLUME_BYTES = 4L << 30;
    static final long BLOCKS = DirtyBitmap.blocksFor(VOLUME_BYTES);
    private static final long UNLIMITED = Long.MAX_VALUE / 4;

    @Param({"1", "100"})
    public int dirtyPercent;

    private DirtyBitmap bitmap;
    private final Volume volume = new SizeOnlyVolume(VOLUME_BYTES);

    /** Requests and bytes planned, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Planned {
        public long requests;
        public long bytesPlanned;
    }

    @Setup(Level.Trial)
    public void fill() {
        bitmap = new DirtyBitmap(BLOCKS);
        if (dirtyPercent >= 100) {
            bitmap.setAll();
            return;
        }
        SplittableRandom random = new SplittableRandom(42);
        long dirty = BLOCKS * dirtyPercent / 100;
        while (bitmap.cardinality() < dirty) {
            bitmap.set(random.nextLong(BLOCKS));
        }
    }

    @Benchmark
    public long planWholeBitmap(final Planned planned) {
        ResyncTargetJob job = new ResyncTargetJob(0, bitmap, volume, null, (now, inFlight, back) -> UNLIMITED,
            (SyncMessage request) -> {
                planned.requests++;
                planned.bytesPlanned += request.length();
            }, () -> 0L, UNLIMITED, () -> { });
        job.step();
        return job.inFlightBytes();
    }

    /** A volume with a size and nothing else: planning without csums never touches the data. */
    private static final class SizeOnlyVolume implements Volume {
        private final long sizeBytes;

        SizeOnlyVolume(long sizeBytes) {
            this.sizeBytes = sizeBytes;
        }

        @Override
        public long sizeBytes() {
            return sizeBytes;
        }

        @Override
        public void read(ByteBuffer dst, long offsetBytes) {
            throw new UnsupportedOperationException("planning does not read");
        }

        @Override
        public void write(ByteBuffer src, long offsetBytes) {
            throw new UnsupportedOperationException("planning does not write");
        }

        @Override
        public void flush() {
        }

        @Override
        public void discard(long offsetBytes, long lengthBytes) {
            throw new UnsupportedOperationException("planning does not discard");
        }

        @Override
        public void close() {
        }
    }
}

package io.replicator.core.bitmap;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cost of marking one random block dirty in the bitmap of a 1 TiB volume (2^28 bits, 32 MiB), as the write path
 * does for every write: {@link DirtyBitmap#set} from 1 and 2 threads, and {@link BitSet#set(int)} (single-threaded,
 * not thread-safe) as the baseline. Both bitmaps are cleared before each iteration, so most sets flip a bit and take
 * the atomic path; {@code dirtyBitmapSetAlreadyDirty} measures the CAS-free path of a hot, already dirty 4 MiB
 * extent. Random block numbers come from a per-thread xorshift, whose cost is in every score.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DirtyBitmapSetBenchmark -prof gc}; gc.alloc.rate.norm
 * must be about 0 B/op.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class DirtyBitmapSetBenchmark {
    static final long BLOCKS = 1L << 28;
    /** 1024 blocks: one 4 MiB activity-log extent. */
    static final long HOT_BLOCKS_MASK = 1023;

    private DirtyBitmap bitmap;
    private BitSet bitSet;

    @Setup(Level.Trial)
    public void allocate() {
        bitmap = new DirtyBitmap(BLOCKS);
        bitSet = new BitSet((int) BLOCKS);
    }

    @Setup(Level.Iteration)
    public void clean() {
        bitmap.clearAll();
        bitSet.clear();
        bitmap.setRange(0, HOT_BLOCKS_MASK + 1);
    }

    /** A per-thread xorshift64 stream of block numbers. */
    @State(Scope.Thread)
    public static class Blocks {
        private static final AtomicLong SEEDS = new AtomicLong(0x9E3779B97F4A7C15L);
        private long state = SEEDS.getAndAdd(0x632BE59BD9B4E019L) | 1;

        long next() {
            long x = state;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            state = x;
            return x;
        }
    }

    @Benchmark
    @Threads(1)
    public void dirtyBitmapSet(Blocks blocks) {
        bitmap.set(blocks.next() & (BLOCKS - 1));
    }

    @Benchmark
    @Threads(2)
    public void dirtyBitmapSet2Threads(Blocks blocks) {
        bitmap.set(blocks.next() & (BLOCKS - 1));
    }

    @Benchmark
    @Threads(1)
    public void dirtyBitmapSetAlreadyDirty(Blocks blocks) {
        bitmap.set(blocks.next() & HOT_BLOCKS_MASK);
    }

    @Benchmark
    @Threads(1)
    public void bitSetSet(Blocks blocks) {
        bitSet.set((int) (blocks.next() & (BLOCKS - 1)));
    }
}

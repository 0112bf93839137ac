package io.replicator.core.bitmap;

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

import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Time to walk every dirty block of a 1 TiB volume's bitmap (2^28 bits = 32 MiB of words), as a resync or a
 * bitmap exchange does: a {@link DirtyBitmap#nextSetBit} loop and a {@link DirtyBitmap#forEachRun} pass, beside
 * {@link BitSet#nextSetBit} over the very same bits. {@code dirtyFraction} of the blocks, chosen uniformly at random,
 * are dirty. Bitmap bytes per second = 32 MiB / score.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DirtyBitmapScanBenchmark}. Target: under 7 ms at 0.001.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class DirtyBitmapScanBenchmark {
    static final long BLOCKS = 1L << 28;

    @Param({"0.001", "0.1"})
    public double dirtyFraction;

    private DirtyBitmap bitmap;
    private BitSet bitSet;
    private final RunCounter runCounter = new RunCounter();

    @Setup(Level.Trial)
    public void fill() {
        bitmap = new DirtyBitmap(BLOCKS);
        bitSet = new BitSet((int) BLOCKS);
        SplittableRandom random = new SplittableRandom(42);
        long dirty = (long) (BLOCKS * dirtyFraction);
        for (long i = 0; i < dirty; i++) {
            long block = random.nextLong(BLOCKS);
            bitmap.set(block);
            bitSet.set((int) block);
        }
    }

    @Benchmark
    public long dirtyBitmapNextSetBit() {
        long count = 0;
        for (long b = bitmap.nextSetBit(0); b >= 0; b = bitmap.nextSetBit(b + 1)) {
            count++;
        }
        return count;
    }

    @Benchmark
    public long bitSetNextSetBit() {
        long count = 0;
        for (int b = bitSet.nextSetBit(0); b >= 0; b = bitSet.nextSetBit(b + 1)) {
            count++;
        }
        return count;
    }

    @Benchmark
    public long dirtyBitmapForEachRun() {
        runCounter.blocks = 0;
        bitmap.forEachRun(runCounter);
        return runCounter.blocks;
    }

    /** Sums run lengths, so the pass cannot be optimised away. */
    static final class RunCounter implements RunConsumer {
        long blocks;

        @Override
        public void accept(long startBlock, long endBlockExclusive) {
            blocks += endBlockExclusive - startBlock;
        }
    }
}

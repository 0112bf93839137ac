package io.replicator.core.bitmap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Time to run-length encode the whole bitmap of a 1 TiB volume (2^28 bits) for the bitmap exchange, in chunks of at
 * most 4 KiB into one pooled direct {@link ByteBuf} that is cleared after each chunk (as a sender would after handing
 * the chunk to the channel). {@code dirtyFraction} of the blocks, chosen uniformly at random, are dirty. The score is
 * per full encode; the returned value is the total encoded size.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar BitmapRleBenchmark -prof gc}; encode allocates nothing,
 * so gc.alloc.rate.norm should be about 0 B/op.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class BitmapRleBenchmark {
    static final long BLOCKS = 1L << 28;
    static final int CHUNK_BYTES = 4096;

    @Param({"0.001", "0.1"})
    public double dirtyFraction;

    private DirtyBitmap bitmap;
    private ByteBuf chunk;

    @Setup(Level.Trial)
    public void fill() {
        bitmap = new DirtyBitmap(BLOCKS);
        SplittableRandom random = new SplittableRandom(42);
        long dirty = (long) (BLOCKS * dirtyFraction);
        for (long i = 0; i < dirty; i++) {
            bitmap.set(random.nextLong(BLOCKS));
        }
        chunk = PooledByteBufAllocator.DEFAULT.directBuffer(CHUNK_BYTES, CHUNK_BYTES);
    }

    @TearDown(Level.Trial)
    public void release() {
        chunk.release();
    }

    @Benchmark
    public long encodeWholeBitmap() {
        long encodedBytes = 0;
        long bit = 0;
        while (bit < BLOCKS) {
            chunk.clear();
            bit = BitmapRle.encode(bitmap, bit, chunk, CHUNK_BYTES);
            encodedBytes += chunk.readableBytes();
        }
        return encodedBytes;
    }
}

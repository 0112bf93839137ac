package io.replicator.net.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
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

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Time to encode one data frame with {@link MessageEncoder} and decode it back with {@link MessageDecoder}, calling
 * the handlers directly (no channel, no socket) so that only the codec is measured. The block is "half-zero" (each
 * 4 KiB: 2 KiB of zeroes, 2 KiB random), so LZ4 takes the compressed path. The encoder's two buffers (header and
 * payload or compressed data) are joined as components of a reused composite, as a socket read would deliver them,
 * without a copy.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MessageCodecBenchmark -prof gc}. On the plain path
 * (NONE/NONE) the payload is never copied; what gc.alloc.rate.norm shows there is the two {@link DataFrame} holders
 * and the composite's component entries, a few hundred bytes per frame whatever its size.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class MessageCodecBenchmark {
    @Param({"4096", "1048576"})
    public int sizeBytes;

    @Param({"NONE", "LZ4"})
    public Compression compression;

    @Param({"NONE", "CRC32C"})
    public DigestKind digest;

    private final List<Object> out = new ArrayList<>(4);
    private EmbeddedChannel channel;
    private MessageEncoder encoder;
    private MessageDecoder decoder;
    private ChannelHandlerContext encoderContext;
    private ChannelHandlerContext decoderContext;
    private ByteBuf block;
    private CompositeByteBuf wire;

    @Setup(Level.Trial)
    public void setUp() {
        encoder = new MessageEncoder(compression, digest);
        decoder = new MessageDecoder(digest);
        channel = new EmbeddedChannel(encoder, decoder);
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        encoderContext = channel.pipeline().context(encoder);
        decoderContext = channel.pipeline().context(decoder);
        SplittableRandom random = new SplittableRandom(42);
        block = PooledByteBufAllocator.DEFAULT.directBuffer(sizeBytes, sizeBytes);
        for (int i = 0; i < sizeBytes; i++) {
            block.writeByte(i % 4096 < 2048 ? 0 : random.nextInt(256));
        }
        wire = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer(4);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        wire.release();
        block.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public long encodeDecode() {
        DataFrame sent = new DataFrame(MessageType.DATA, 0, 8L, 1L, 1, DataHeaderFlyweight.DP_SEND_WRITE_ACK,
            block.retainedDuplicate());
        try {
            encoder.encode(encoderContext, sent, out);
        } finally {
            sent.release();
        }
        for (Object part : out) {
            wire.addComponent(true, (ByteBuf) part);
        }
        out.clear();
        try {
            decoder.decode(decoderContext, wire, out);
        } finally {
            wire.removeComponents(0, wire.numComponents());
            wire.clear();
        }
        DataFrame received = (DataFrame) out.get(0);
        out.clear();
        long result = received.sector() + received.payload().readableBytes();
        received.release();
        return result;
    }
}

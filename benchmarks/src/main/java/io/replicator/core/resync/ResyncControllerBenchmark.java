package io.replicator.core.resync;

import io.replicator.core.config.ResyncOptions;
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

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one step of {@link ResyncController#bytesToRequest}: the fixed rate ({@code planAhead} 0) and the dynamic
 * controller with DRBD's default plan of 20 steps and the maximum of 300, whose FIFO update is linear in the steps.
 * Each invocation advances the clock by 100 ms and feeds back a varying amount, as a resync of a busy link would.
 * The step runs on the conductor every 100 ms per resyncing peer device, so anything under a microsecond is noise;
 * it allocates nothing, so gc.alloc.rate.norm should be about 0 B/op.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ResyncControllerBenchmark -prof gc}.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ResyncControllerBenchmark {
    private static final long STEP_NS = ResyncController.STEP_NS;

    @Param({"0", "20", "300"})
    public int planAhead;

    private ResyncController controller;
    private long nowNs;
    private long inFlight;
    private long step;

    @Setup(Level.Trial)
    public void create() {
        ResyncOptions options = new ResyncOptions(10L << 20, planAhead * ResyncOptions.DECISECOND_NS,
            10 * ResyncOptions.DECISECOND_NS, 8L << 20, 200L << 20, 250L << 10, Optional.empty());
        controller = new ResyncController(options, 131072);
    }

    @Benchmark
    public long step() {
        nowNs += STEP_NS;
        step++;
        long cameBack = Math.min(inFlight, (step & 7) << 20);
        inFlight -= cameBack;
        long requested = controller.bytesToRequest(nowNs, inFlight, cameBack);
        inFlight += requested;
        return requested;
    }
}

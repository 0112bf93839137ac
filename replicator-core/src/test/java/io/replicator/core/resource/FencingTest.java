package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.replicator.core.metadata.PeerFlag;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fencing on alpha of two nodes, bravo played by {@link ScriptedPeers} (which never acknowledges a write), the
 * {@code fence-peer} handler played by the test (it answers when the test says): a Primary under
 * {@code resource-and-stonith} completes nothing after losing bravo until the handler fenced it; a failed handler
 * keeps the freeze until {@code resume-io}; a Secondary is not promoted past a peer the handler could not outdate.
 */
@Timeout(30)
class FencingTest {
    private static final String STONITH = "fencing resource-and-stonith;";
    private static final String HANDLERS = "fence-peer \"fence\"; unfence-peer \"unfence\";";

    /** The handlers as the test sees them: each call, and the fence-peer calls still waiting for their exit. */
    private static final class Handlers implements HandlerInvoker {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<IntConsumer> waiting = new CopyOnWriteArrayList<>();

        @Override
        public void invoke(String handler, String command, Map<String, String> environment) {
            calls.add(handler + " peer=" + environment.get("DRBD_PEER_NODE_ID"));
        }

        @Override
        public void invoke(String handler, String command, Map<String, String> environment, IntConsumer exited) {
            invoke(handler, command, environment);
            waiting.add(exited);
        }

        void exit(int status) throws InterruptedException {
            ScriptedPeers.await("a fence-peer call", () -> !waiting.isEmpty());
            waiting.remove(0).accept(status);
        }
    }

    /** Alpha with {@code fencing} toward bravo, bravo connected as its twin. */
    private record Pair(ScriptedPeers network, Handlers handlers, ResourceConductor alpha) {
        static Pair with(String fencing) throws Exception {
            ScriptedPeers network = new ScriptedPeers();
            Handlers handlers = new Handlers();
            return new Pair(network, handlers, TestNode.start(network, "alpha", 2, fencing, HANDLERS, handlers)
                .conductor());
        }

        /** Alpha promoted with bravo connected; a write to it in flight, then bravo lost. */
        CompletableFuture<Void> promotedWriteThenLoss(VolumeIo[] io) throws java.io.IOException {
            io[0] = promotedWith(network, alpha);
            CompletableFuture<Void> inFlight = io[0].writeAsync(0, block(), false);
            network.lose("bravo", "bravo died");
            return inFlight;
        }
    }

    @Test
    void aPrimaryFreezesAtTheLossUntilFencePeerSucceeds_thenWhatWaitedCompletes() throws Exception {
        Pair pair = Pair.with(STONITH);
        ScriptedPeers network = pair.network();
        Handlers handlers = pair.handlers();
        ResourceConductor alpha = pair.alpha();
        VolumeIo[] served = new VolumeIo[1];
        CompletableFuture<Void> inFlight = pair.promotedWriteThenLoss(served);
        VolumeIo io = served[0];
        ScriptedPeers.await("the freeze", () -> alpha.snapshot().suspended().contains("fencing"));
        assertThat(inFlight).as("the loss would have completed it: frozen instead").isNotDone();
        CompletableFuture<Void> parked = io.writeAsync(4096, block(), false);
        // unfence-peer ran once already, when bravo first replicated with UpToDate data (as DRBD does on connect).
        assertThat(handlers.calls).containsExactly("unfence-peer peer=1", "fence-peer peer=1");
        assertThat(parked).isNotDone();

        handlers.exit(7); // STONITHed
        ScriptedPeers.await("the held write", inFlight::isDone);
        assertThat(inFlight).isCompleted();
        ScriptedPeers.await("the parked write", parked::isDone);
        assertThat(parked).isCompleted();
        assertThat(alpha.snapshot().suspended()).isEmpty();
        assertThat(alpha.superblock(0).orElseThrow().peerHas(1, PeerFlag.OUTDATED)).as("bravo counts as Outdated")
            .isTrue();

        network.connectAsTwin("bravo");
        ScriptedPeers.await("unfence-peer once bravo is back and UpToDate", () -> handlers.calls.equals(List.of(
            "unfence-peer peer=1", "fence-peer peer=1", "unfence-peer peer=1")));
    }

    @Test
    void aFailedFencePeerKeepsTheFreezeUntilResumeIo() throws Exception {
        Pair pair = Pair.with(STONITH);
        Handlers handlers = pair.handlers();
        ResourceConductor alpha = pair.alpha();
        CompletableFuture<Void> inFlight = pair.promotedWriteThenLoss(new VolumeIo[1]);
        handlers.exit(1);
        Thread.sleep(200);
        assertThat(inFlight).isNotDone();
        assertThat(alpha.snapshot().suspended()).containsExactly("fencing");
        assertThat(alpha.superblock(0).orElseThrow().peerHas(1, PeerFlag.OUTDATED)).isFalse();

        assertThat(alpha.resumeIo().ok()).isTrue();
        ScriptedPeers.await("the held write", inFlight::isDone);
        assertThat(inFlight).as("the operator took the risk: it completes").isCompleted();
        assertThat(alpha.snapshot().suspended()).isEmpty();
    }

    @Test
    void resourceOnlyRunsFencePeerWithoutFreezing() throws Exception {
        Pair pair = Pair.with("fencing resource-only;");
        Handlers handlers = pair.handlers();
        ResourceConductor alpha = pair.alpha();
        CompletableFuture<Void> inFlight = pair.promotedWriteThenLoss(new VolumeIo[1]);
        ScriptedPeers.await("the write completes without bravo", inFlight::isDone);
        assertThat(inFlight).isCompleted();
        assertThat(alpha.snapshot().suspended()).isEmpty();
        ScriptedPeers.await("fence-peer", () -> handlers.calls.contains("fence-peer peer=1"));
    }

    @Test
    void promotionWithThePeerAwayWaitsForFencePeer_aFailureRefusesIt_forceTakesTheRisk() throws Exception {
        Pair pair = Pair.with("fencing resource-only;");
        Handlers handlers = pair.handlers();
        ResourceConductor alpha = pair.alpha();

        CompletableFuture<Outcome> refused = new CompletableFuture<>();
        alpha.primary(false, refused::complete);
        handlers.exit(1);
        assertThat(refused.get().message()).contains("(-7) Refusing to be Primary while peer is not outdated",
            "fence-peer on bravo exited 1 (fence-peer handler is broken)");
        assertThat(alpha.role()).isEqualTo(Role.SECONDARY);

        CompletableFuture<Outcome> forced = new CompletableFuture<>();
        alpha.primary(true, forced::complete);
        handlers.exit(1);
        assertThat(forced.get().ok()).as("--force: forced into a split-brain situation").isTrue();
        assertThat(alpha.secondary().ok()).isTrue();

        CompletableFuture<Outcome> unreachable = new CompletableFuture<>();
        alpha.primary(false, unreachable::complete);
        handlers.exit(5); // unreachable, and alpha is UpToDate
        assertThat(unreachable.get().ok()).isTrue();
        assertThat(alpha.superblock(0).orElseThrow().peerHas(1, PeerFlag.OUTDATED)).isTrue();
        assertThat(alpha.secondary().ok()).isTrue();

        assertThat(alpha.primary(false).ok()).as("bravo is known Outdated now: nothing to fence").isTrue();
        assertThat(handlers.calls).containsExactly("fence-peer peer=1", "fence-peer peer=1", "fence-peer peer=1");
    }

    private static VolumeIo promotedWith(ScriptedPeers network, ResourceConductor node) {
        network.connectAsTwin("bravo");
        assertThat(node.primary(false).ok()).isTrue();
        return node.io(0).orElseThrow();
    }

    private static ByteBuf block() {
        return Unpooled.wrappedBuffer(new byte[4096]);
    }
}

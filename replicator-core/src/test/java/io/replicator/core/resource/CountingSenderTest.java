package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.config.HostConfig;
import io.replicator.core.config.Location;
import io.replicator.core.config.Protocol;
import io.replicator.core.replication.PeerPolicy;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.ReplicationOutbox;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.WriteKind;
import io.replicator.core.replication.WriteRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** What the resource sends a peer is counted per volume, payload bytes only, and everything else passes through. */
@Timeout(10)
class CountingSenderTest {
    private final List<String> sent = new ArrayList<>();
    private final PeerRuntime peer = new PeerRuntime(new HostConfig("bravo", 1, Optional.empty(), List.of(),
        new Location("t.res", 1, 1)), null, List.of(0, 7));
    private final CountingSender sender = new CountingSender(new Wire(), peer);

    @Test
    void shouldCountPayloadOfWritesAndResyncDataPerVolume() throws Exception {
        TransferLog log = new TransferLog(new Outbox(), 100, List.of(1), System::nanoTime);
        log.addPeer(1, PeerPolicy.of(Protocol.C));
        log.submit(0, 0, 8192, WriteKind.DATA, false, Unpooled.wrappedBuffer(new byte[8192]), () -> { });
        log.submit(7, 0, 4096, WriteKind.DATA, false, Unpooled.wrappedBuffer(new byte[4096]), () -> { });
        log.submit(0, 65536, 1 << 20, WriteKind.ZEROES, false, Unpooled.EMPTY_BUFFER, () -> { });
        sender.sendResyncData(7, 8192, 1, Unpooled.wrappedBuffer(new byte[512]));

        assertThat(peer.traffic(0).sentBytes()).as("a write of zeroes carries no payload").isEqualTo(8192);
        assertThat(peer.traffic(7).sentBytes()).isEqualTo(4096 + 512);
        assertThat(peer.traffic(0).receivedBytes()).isZero();
        assertThat(sent).containsExactly("write 0", "write 7", "write 0", "data 7");
    }

    @Test
    void shouldPassEverythingElseThroughUncounted() {
        sender.sendBarrier(3);
        sender.sendOutOfSync(0, 0, 4096);
        sender.sendSync(SyncMessage.of(SyncMessage.Kind.PAUSE, 0, 0, 0, 0));
        sender.close("bye");

        assertThat(sent).containsExactly("barrier 3", "oos 0", "sync PAUSE", "close bye");
        assertThat(sender.pingRttNanos()).hasValue(1234);
        assertThat(sender.unacked(7)).isEqualTo(7);
        assertThat(sender.remoteAddress()).isEqualTo("10.0.0.2:7789");
        assertThat(peer.traffic(0).sentBytes()).isZero();
    }

    /** Sends writes the log routes to peer 1 through the sender under test. */
    private final class Outbox implements ReplicationOutbox {
        @Override
        public void sendWrite(int node, WriteRequest request, int dpFlags) {
            sender.sendWrite(request, dpFlags, null);
        }

        @Override
        public void sendBarrier(int node, int epoch) {
        }

        @Override
        public void sendOutOfSync(int node, int volume, long offset, long length) {
        }

        @Override
        public void markOutOfSync(int node, int volume, long offset, long length) {
        }

        @Override
        public void dropPeer(int node, String reason) {
        }
    }

    /** The connection: records each call. */
    private final class Wire implements PeerSender {
        @Override
        public void sendReport(VolumeReport report) {
            sent.add("report");
        }

        @Override
        public void sendWrite(WriteRequest request, int dpFlags, Runnable handedOver) {
            sent.add("write " + request.volume());
        }

        @Override
        public void sendBarrier(int epoch) {
            sent.add("barrier " + epoch);
        }

        @Override
        public void sendOutOfSync(int volume, long offset, long length) {
            sent.add("oos " + volume);
        }

        @Override
        public void sendBitmap(int volume, DirtyBitmap bitmap) {
            sent.add("bitmap " + volume);
        }

        @Override
        public void sendSync(SyncMessage message) {
            sent.add("sync " + message.kind());
        }

        @Override
        public void sendResyncData(int volume, long offset, long id, ByteBuf data) {
            sent.add("data " + volume);
            data.release();
        }

        @Override
        public void close(String reason) {
            sent.add("close " + reason);
        }

        @Override
        public String remoteAddress() {
            return "10.0.0.2:7789";
        }

        @Override
        public String localAddress() {
            return "10.0.0.1:7789";
        }

        @Override
        public OptionalLong pingRttNanos() {
            return OptionalLong.of(1234);
        }

        @Override
        public long unacked(int volume) {
            return volume;
        }
    }
}

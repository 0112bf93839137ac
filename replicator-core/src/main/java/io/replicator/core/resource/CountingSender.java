package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.WriteKind;
import io.replicator.core.replication.WriteRequest;

import java.util.OptionalLong;

/**
 * A connection's {@link PeerSender} that also counts the payload it sends (replicated writes with data, resync data)
 * in the peer's {@link TrafficCounters}. Every send of the resource to the peer goes through the one instance the
 * conductor keeps while connected, so nothing is counted twice or missed.
 */
final class CountingSender implements PeerSender {
    private final PeerSender sender;
    private final PeerRuntime peer;

    CountingSender(PeerSender sender, PeerRuntime peer) {
        this.sender = sender;
        this.peer = peer;
    }

    /** Whether this counts the sends of {@code session}, the sender a link reported for one session. */
    boolean wraps(PeerSender session) {
        return sender == session;
    }

    @Override
    public void sendReport(VolumeReport report) {
        sender.sendReport(report);
    }

    @Override
    public void sendWrite(WriteRequest request, int dpFlags, Runnable handedOver) {
        if (request.kind() == WriteKind.DATA) {
            peer.traffic(request.volume()).sent(request.length());
        }
        sender.sendWrite(request, dpFlags, handedOver);
    }

    @Override
    public void sendBarrier(int epoch) {
        sender.sendBarrier(epoch);
    }

    @Override
    public void sendOutOfSync(int volume, long offset, long length) {
        sender.sendOutOfSync(volume, offset, length);
    }

    @Override
    public void sendBitmap(int volume, DirtyBitmap bitmap) {
        sender.sendBitmap(volume, bitmap);
    }

    @Override
    public void sendSync(SyncMessage message) {
        sender.sendSync(message);
    }

    @Override
    public void sendResyncData(int volume, long offset, long id, ByteBuf data) {
        peer.traffic(volume).sent(data.readableBytes());
        sender.sendResyncData(volume, offset, id, data);
    }

    @Override
    public void close(String reason) {
        sender.close(reason);
    }

    @Override
    public String remoteAddress() {
        return sender.remoteAddress();
    }

    @Override
    public String localAddress() {
        return sender.localAddress();
    }

    @Override
    public OptionalLong pingRttNanos() {
        return sender.pingRttNanos();
    }

    @Override
    public long unacked(int volume) {
        return sender.unacked(volume);
    }
}

package io.replicator.core.resync;

import io.netty.buffer.ByteBuf;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.WriteRequest;

import java.util.List;
import java.util.function.Consumer;

/** A peer that records a sync source's answers as events; resync data is copied and released. */
final class RecordingPeer implements PeerSender {
    /** Resync data as the peer would receive it. */
    record Data(int volume, long offset, long id, byte[] bytes) {
    }

    private final List<String> events;
    private final Consumer<Object> sink;

    /** @param events where "sync KIND" and "data OFFSET+LENGTH" go; {@code sink} gets every message or data */
    RecordingPeer(List<String> events, Consumer<Object> sink) {
        this.events = events;
        this.sink = sink;
    }

    @Override
    public void sendSync(SyncMessage message) {
        events.add("sync " + message.kind());
        sink.accept(message);
    }

    @Override
    public void sendResyncData(int volume, long offset, long id, ByteBuf data) {
        try {
            byte[] bytes = new byte[data.readableBytes()];
            data.getBytes(data.readerIndex(), bytes);
            events.add("data " + offset + "+" + bytes.length);
            sink.accept(new Data(volume, offset, id, bytes));
        } finally {
            data.release();
        }
    }

    @Override
    public void sendReport(VolumeReport report) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendWrite(WriteRequest request, int dpFlags, Runnable handedOver) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendBarrier(int epoch) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendOutOfSync(int volume, long offset, long length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendBitmap(int volume, DirtyBitmap bitmap) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close(String reason) {
        events.add("close " + reason);
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1:7789";
    }

    @Override
    public String localAddress() {
        return "127.0.0.1:7788";
    }
}

package io.replicator.core.replication;

import java.util.ArrayList;
import java.util.List;

/** Records what a {@link TransferLog} asked for, as readable strings, in order. */
final class RecordingOutbox implements ReplicationOutbox {
    final List<String> sent = new ArrayList<>();
    final List<String> marks = new ArrayList<>();
    final List<String> drops = new ArrayList<>();
    final List<WriteRequest> writes = new ArrayList<>();
    final List<Integer> writeFlags = new ArrayList<>();

    @Override
    public void sendWrite(int peer, WriteRequest request, int dpFlags) {
        sent.add("write " + peer + " @" + request.offset() + " e" + request.epoch());
        writes.add(request);
        writeFlags.add(dpFlags);
    }

    @Override
    public void sendBarrier(int peer, int epoch) {
        sent.add("barrier " + peer + " e" + epoch);
    }

    @Override
    public void sendOutOfSync(int peer, int volume, long offset, long length) {
        sent.add("oos " + peer + " @" + offset);
    }

    @Override
    public void markOutOfSync(int peer, int volume, long offset, long length) {
        marks.add(peer + "@" + offset + "+" + length);
    }

    @Override
    public void dropPeer(int peer, String reason) {
        drops.add(peer + ": " + reason);
    }
}

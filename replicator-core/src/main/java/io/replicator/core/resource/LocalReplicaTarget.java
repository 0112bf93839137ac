package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.replication.ReplicaTarget;
import java.io.IOException;
import java.util.Optional;

/**
 * How a Secondary writes what its Primary replicates: straight to the data area, counted as foreign I/O for
 * c-min-rate. Called in stream order by the session's receive thread (or its event loop for small writes).
 */
final class LocalReplicaTarget implements ReplicaTarget {
    private final ResourceState state;

    LocalReplicaTarget(ResourceState state) {
        this.state = state;
    }

    @Override
    public void write(int volume, long offset, ByteBuf data) throws IOException {
        AttachedDisk disk = disk(volume);
        disk.countForeignIo(data.readableBytes());
        disk.data().write(data, offset);
    }

    @Override
    public void zero(int volume, long offset, long length) throws IOException {
        AttachedDisk disk = disk(volume);
        disk.countForeignIo(length);
        disk.data().discard(offset, length);
    }

    @Override
    public void flush(int volume) throws IOException {
        disk(volume).data().flush();
    }

    @Override
    public void flushAll() throws IOException {
        for (VolumeRuntime volume : state.volumes) {
            Optional<AttachedDisk> disk = volume.disk();
            if (disk.isPresent()) {
                disk.get().data().flush();
            }
        }
    }

    @Override
    public void markOutOfSync(int volume, long offset, long length) {
        // Behind: the Primary changed the range and did not send it; nothing to record toward the Primary's
        // slot beyond what the Primary itself records (resync copies it from there).
    }

    private AttachedDisk disk(int number) throws IOException {
        VolumeRuntime volume = state.volume(number)
            .orElseThrow(() -> new IOException("volume " + number + " is not configured here"));
        return volume.disk().orElseThrow(() -> new IOException("volume " + number + " has no disk"));
    }
}

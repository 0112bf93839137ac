package io.replicator.core.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ReplicaReceiverTest {
    private final List<String> events = new ArrayList<>();
    private boolean failWrites;
    private boolean failFlushes;

    private final ReplicaTarget target = new ReplicaTarget() {
        @Override
        public void write(int volume, long offset, ByteBuf data) throws IOException {
            if (failWrites) {
                throw new IOException("EIO");
            }
            events.add("write @" + offset);
        }

        @Override
        public void zero(int volume, long offset, long length) {
            events.add("zero @" + offset + "+" + length);
        }

        @Override
        public void flush(int volume) throws IOException {
            if (failFlushes) {
                throw new IOException("EIO at fsync");
            }
            events.add("flush " + volume);
        }

        @Override
        public void flushAll() {
            events.add("flush all");
        }

        @Override
        public void markOutOfSync(int volume, long offset, long length) {
            events.add("oos @" + offset);
        }
    };

    private final ReplicaReplies replies = new ReplicaReplies() {
        @Override
        public void receiveAck(int volume, long offset, long id, int sizeBytes, int sequence) {
            events.add("recv-ack " + id);
        }

        @Override
        public void writeAck(int volume, long offset, long id, int sizeBytes, int sequence) {
            events.add("write-ack " + id);
        }

        @Override
        public void negativeAck(int volume, long offset, long id, int sizeBytes, int sequence) {
            events.add("neg-ack " + id);
        }

        @Override
        public void barrierAck(int epoch, int setSize) {
            events.add("barrier-ack " + epoch + "/" + setSize);
        }
    };

    @Test
    void acknowledgesAsTheFlagsAskAndFlushesBeforeTheBarrierAck() throws IOException {
        ReplicaReceiver receiver = new ReplicaReceiver(target, replies, true);
        receiver.write(0, 0, 4096, DpFlags.SEND_RECEIVE_ACK, 1, 1, Unpooled.EMPTY_BUFFER);
        receiver.write(0, 4096, 4096, DpFlags.SEND_WRITE_ACK | DpFlags.FUA, 2, 2, Unpooled.EMPTY_BUFFER);
        receiver.write(0, 8192, 65536, DpFlags.ZEROES, 3, 3, Unpooled.EMPTY_BUFFER);
        receiver.barrier(1);
        receiver.write(0, 0, 4096, DpFlags.FLUSH, 4, 4, Unpooled.EMPTY_BUFFER);
        receiver.barrier(2);
        assertThat(events).containsExactly("recv-ack 1", "write @0", "write @4096", "flush 0", "write-ack 2",
            "zero @8192+65536", "flush all", "barrier-ack 1/3", "flush 0", "write @0", "flush all", "barrier-ack 2/1");
    }

    @Test
    void withoutDiskFlushesTheBarrierOnlyDrains() throws IOException {
        ReplicaReceiver receiver = new ReplicaReceiver(target, replies, false);
        receiver.write(0, 0, 4096, 0, 1, 1, Unpooled.EMPTY_BUFFER);
        receiver.barrier(1);
        assertThat(events).containsExactly("write @0", "barrier-ack 1/1");
    }

    @Test
    void aFailedWriteIsNegativelyAcknowledgedAndReported() {
        ReplicaReceiver receiver = new ReplicaReceiver(target, replies, true);
        failWrites = true;
        assertThatThrownBy(() -> receiver.write(0, 0, 4096, DpFlags.SEND_WRITE_ACK, 9, 1, Unpooled.EMPTY_BUFFER))
            .hasMessage("EIO");
        assertThat(events).containsExactly("neg-ack 9");
    }

    @Test
    void aFailedFuaFlushLeavesTheEpochUnacknowledged() throws IOException {
        // The fsync's write-back error may belong to earlier writes of the epoch, already write-acked: the barrier
        // must not tell the Primary they are durable here.
        ReplicaReceiver receiver = new ReplicaReceiver(target, replies, true);
        receiver.write(0, 0, 4096, DpFlags.SEND_WRITE_ACK, 8, 1, Unpooled.EMPTY_BUFFER);
        failFlushes = true;
        assertThatThrownBy(() -> receiver.write(0, 4096, 4096, DpFlags.SEND_WRITE_ACK | DpFlags.FUA, 9, 2,
            Unpooled.EMPTY_BUFFER)).hasMessage("EIO at fsync");
        failFlushes = false;

        assertThatThrownBy(() -> receiver.barrier(1)).hasMessageContaining("a flush before the barrier of epoch 1");
        assertThat(events).containsExactly("write @0", "write-ack 8", "write @4096", "neg-ack 9");
    }
}

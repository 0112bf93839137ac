package io.replicator.net.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.replicator.core.config.NetConfig;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;
import io.replicator.net.testing.NettyLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The control channel is independent of the data channel: acks get through while data is backed up. */
@Timeout(60)
@ExtendWith(NettyLeakCheck.class)
class PeerBackPressureTest {
    static final int FRAMES = 48;
    static final int MIB = 1 << 20;

    @Test
    void acksArriveWhileTheReceiverHasPausedTheDataChannelBehindManyOneMebibyteFrames() throws Exception {
        NetConfig net = Node.net();
        int p1 = Node.freePort();
        int p2 = Node.freePort();
        Recorder receiver = new Recorder().onConnected(session -> session.setDataAutoRead(false));
        Recorder sender = new Recorder();
        ByteBuf block = PooledByteBufAllocator.DEFAULT.directBuffer(MIB);
        byte[] random = new byte[MIB];
        new Random(7).nextBytes(random);
        block.writeBytes(random);
        try (Node node1 = new Node(1); Node node2 = new Node(2)) {
            node1.start(2, net, receiver, Node.path(p1, p2));
            node2.start(1, net, sender, Node.path(p2, p1));
            PeerSession paused = receiver.connected(10_000);
            PeerSession writer = sender.connected(10_000);

            for (int i = 0; i < FRAMES; i++) {
                writer.send(Traffic.data(MessageType.DATA, i, block.retainedDuplicate()));
            }
            writer.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.isWritable() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(writer.isWritable()).as("the data channel backs up").isFalse();

            PeerMessage.WriteAck ack = new PeerMessage.WriteAck(1, 8, 99, 4096, 5);
            writer.sendAndFlush(ack);
            long dataBeforeAck = 0;
            while (true) {
                Recorder.Received next = receiver.received.poll(10, TimeUnit.SECONDS);
                assertThat(next).as("the ack arrives").isNotNull();
                if (next.value().equals(ack)) {
                    break;
                }
                dataBeforeAck++;
            }
            assertThat(dataBeforeAck).as("data frames delivered before the ack").isLessThan(FRAMES / 2);
            paused.sendAndFlush(new PeerMessage.BarrierAck(1, 48));
            assertThat(sender.take(1, 10_000)).containsExactly(new PeerMessage.BarrierAck(1, 48));

            paused.setDataAutoRead(true);
            List<Object> rest = receiver.take(FRAMES - (int) dataBeforeAck, 30_000);
            long crc = Recorder.crc(block);
            for (int i = 0; i < rest.size(); i++) {
                Recorder.DataCopy copy = (Recorder.DataCopy) rest.get(i);
                assertThat(copy.sequence()).isEqualTo(i + (int) dataBeforeAck);
                assertThat(copy.payloadCrc()).isEqualTo(crc);
                assertThat(copy.payloadBytes()).isEqualTo(MIB);
            }
        } finally {
            block.release();
        }
        receiver.assertNoViolations();
        sender.assertNoViolations();
    }
}

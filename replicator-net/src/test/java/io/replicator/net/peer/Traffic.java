package io.replicator.net.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.replicator.net.protocol.DataFrame;
import io.replicator.net.protocol.DataHeaderFlyweight;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Test messages of every kind on both streams, and what a {@link Recorder} should make of them. */
final class Traffic {
    private Traffic() {
    }

    /** {@code count} messages cycling through the message kinds; data payloads of up to 64 KiB, half compressible. */
    static List<PeerMessage> mixed(int count, long seed) {
        Random random = new Random(seed);
        List<PeerMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long sector = 8L * i;
            messages.add(switch (i % 12) {
                case 0 -> data(MessageType.DATA, i, payload(random, 4096, i % 24 == 0));
                case 1 -> new PeerMessage.WriteAck(1, sector, i, 4096, i);
                case 2 -> new PeerMessage.Barrier(i);
                case 3 -> new PeerMessage.BarrierAck(i, 3);
                case 4 -> new PeerMessage.RecvAck(2, sector, i, 512, i);
                case 5 -> new PeerMessage.Sizes(1, 1L << 30, 1L << 29, 1 << 20);
                case 6 -> new PeerMessage.Uuids(1, random.nextLong(), new long[] {1, 2}, new long[] {3}, 1);
                case 7 -> data(MessageType.RESYNC_DATA, i, payload(random, 1 + random.nextInt(64 * 1024),
                    random.nextBoolean()));
                case 8 -> new PeerMessage.NegAck(1, sector, i, 4096, i);
                case 9 -> new PeerMessage.State(1, 1, 4, 0);
                case 10 -> new PeerMessage.Sync(MessageType.SYNC_REPLY, 1, 3, sector, 4096, i, new byte[0]);
                default -> new PeerMessage.BitmapChunk(1, i, payload(random, 100, false), i % 2 == 0);
            });
        }
        return messages;
    }

    static DataFrame data(MessageType type, int i, ByteBuf payload) {
        return new DataFrame(type, 1, 8L * i, 1000 + i, i, DataHeaderFlyweight.DP_SEND_WRITE_ACK, payload);
    }

    /** A pooled buffer of {@code size} bytes: random, or runs of one byte that LZ4 shrinks well. */
    static ByteBuf payload(Random random, int size, boolean compressible) {
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        if (compressible) {
            for (int j = 0; j < size; j++) {
                bytes[j] = (byte) (j / 512);
            }
        }
        return payload.writeBytes(bytes);
    }

    /** What a Recorder records for {@code message}; take it before sending (sending releases the payload). */
    static Object expected(PeerMessage message) {
        if (message instanceof DataFrame frame) {
            return Recorder.DataCopy.of(frame);
        }
        if (message instanceof PeerMessage.BitmapChunk chunk) {
            return Recorder.crc(chunk.rle());
        }
        return message;
    }

    static MessageType.Stream stream(Object recorded) {
        if (recorded instanceof PeerMessage message) {
            return message.type().stream();
        }
        return MessageType.Stream.DATA;
    }

    /** Sends all of {@code messages} (every fifth with a flush of its own), then flushes both channels. */
    static List<Object> send(PeerSession session, List<PeerMessage> messages) {
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            expected.add(expected(messages.get(i)));
            if (i % 5 == 0) {
                session.sendAndFlush(messages.get(i));
            } else {
                session.send(messages.get(i));
            }
        }
        session.flush();
        return expected;
    }

    /** Asserts that {@code actual} has the expected messages in the expected order on each stream. */
    static void assertSameOrderPerStream(List<Object> actual, List<Object> expected) {
        for (MessageType.Stream stream : MessageType.Stream.values()) {
            assertThat(actual.stream().filter(v -> stream(v) == stream).toList()).as("%s stream", stream)
                .containsExactlyElementsOf(expected.stream().filter(v -> stream(v) == stream).toList());
        }
    }
}

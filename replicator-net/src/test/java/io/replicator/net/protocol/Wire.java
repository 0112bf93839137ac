package io.replicator.net.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

/** Test plumbing: an encoder channel feeding a decoder channel, counting the bytes in between. */
final class Wire implements AutoCloseable {
    private final EmbeddedChannel sender;
    private final EmbeddedChannel receiver;
    private long bytesOnWire;

    Wire(Compression compression, DigestKind digest) {
        sender = new EmbeddedChannel(new MessageEncoder(compression, digest));
        receiver = new EmbeddedChannel(new FrameDecoder(), new MessageDecoder(digest));
        sender.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        receiver.config().setAllocator(PooledByteBufAllocator.DEFAULT);
    }

    /** The encoded frame as one buffer (the caller releases it). */
    ByteBuf encode(PeerMessage message) {
        sender.writeOutbound(message);
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.heapBuffer();
        for (ByteBuf part; (part = sender.readOutbound()) != null; ) {
            frame.writeBytes(part);
            part.release();
        }
        bytesOnWire += frame.readableBytes();
        return frame;
    }

    /** Feeds bytes to the receiver (taking over the buffer) and returns what it decoded. */
    List<Object> feed(ByteBuf bytes) {
        receiver.writeInbound(bytes);
        List<Object> decoded = new ArrayList<>();
        for (Object message; (message = receiver.readInbound()) != null; ) {
            decoded.add(message);
        }
        return decoded;
    }

    /** Encodes and decodes one message; the caller releases the result. */
    PeerMessage roundTrip(PeerMessage message) {
        List<Object> decoded = feed(encode(message));
        if (decoded.size() != 1) {
            throw new AssertionError("decoded " + decoded);
        }
        return (PeerMessage) decoded.get(0);
    }

    long bytesOnWire() {
        return bytesOnWire;
    }

    EmbeddedChannel receiver() {
        return receiver;
    }

    @Override
    public void close() {
        sender.finishAndReleaseAll();
        receiver.finishAndReleaseAll();
    }
}

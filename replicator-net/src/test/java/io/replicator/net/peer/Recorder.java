package io.replicator.net.peer;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.replicator.net.handshake.HandshakeCompleted;
import io.replicator.net.protocol.DataFrame;
import io.replicator.net.protocol.PeerMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A {@link PeerLinkListener} that records what it hears, releases every message after copying what matters, and
 * notes any breach of the listener contract (a message or disconnect for a session that was never connected or is
 * already disconnected, a second disconnect, a call off the link's single thread at the same time).
 */
final class Recorder implements PeerLinkListener {
    /** Lifecycle events, in order. */
    sealed interface Event permits Connected, Disconnected, Refused {
    }

    record Connected(PeerSession session, HandshakeCompleted handshake) implements Event {
    }

    record Disconnected(PeerSession session, String reason) implements Event {
    }

    record Refused(String reason) implements Event {
    }

    /** A data frame as received: header fields, payload length and CRC32C. */
    record DataCopy(String type, int volume, long sector, long blockId, int sequence, int dpFlags, int sizeBytes,
                    int payloadBytes, long payloadCrc) {
        static DataCopy of(DataFrame frame) {
            return new DataCopy(frame.type().name(), frame.volume(), frame.sector(), frame.blockId(),
                frame.sequence(), frame.dpFlags(), frame.sizeBytes(), frame.payload().readableBytes(),
                crc(frame.payload()));
        }
    }

    /** One delivered message: the session it came on and its value (a {@link DataCopy} for data frames). */
    record Received(long sessionId, Object value) {
    }

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<Long, String> sessions = new ConcurrentHashMap<>();
    private volatile Consumer<PeerSession> onConnected = session -> { };
    private volatile Thread inside;

    /** Runs {@code action} in {@code connected}, on the link's thread. */
    Recorder onConnected(Consumer<PeerSession> action) {
        this.onConnected = action;
        return this;
    }

    @Override
    public void connected(PeerSession session, HandshakeCompleted handshake) {
        enter();
        try {
            if (sessions.putIfAbsent(session.id(), "connected") != null) {
                violations.add("session " + session.id() + " connected twice");
            }
            events.add(new Connected(session, handshake));
            onConnected.accept(session);
        } finally {
            leave();
        }
    }

    @Override
    public void received(PeerSession session, PeerMessage message) {
        enter();
        try {
            if (!"connected".equals(sessions.get(session.id()))) {
                violations.add("message for session " + session.id() + " in state " + sessions.get(session.id()));
            }
            if (message instanceof PeerMessage.Ping || message instanceof PeerMessage.PingAck
                || message instanceof PeerMessage.Disconnect) {
                violations.add("transport message delivered: " + message);
            }
            received.add(new Received(session.id(), message instanceof DataFrame frame ? DataCopy.of(frame)
                : message instanceof PeerMessage.BitmapChunk chunk ? crc(chunk.rle()) : message));
        } finally {
            ReferenceCountUtil.release(message);
            leave();
        }
    }

    @Override
    public void disconnected(PeerSession session, String reason) {
        enter();
        try {
            if (!"connected".equals(sessions.put(session.id(), "disconnected"))) {
                violations.add("disconnect of session " + session.id() + " that was not connected: " + reason);
            }
            events.add(new Disconnected(session, reason));
        } finally {
            leave();
        }
    }

    @Override
    public void refused(String reason) {
        enter();
        try {
            events.add(new Refused(reason));
        } finally {
            leave();
        }
    }

    /** The next lifecycle event, which must be of type {@code kind}. */
    <T extends Event> T next(Class<T> kind, long timeoutMs) throws InterruptedException {
        Event event = events.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (event == null) {
            fail("no " + kind.getSimpleName() + " within " + timeoutMs + " ms; violations " + violations);
        }
        assertThat(event).as("next event").isInstanceOf(kind);
        return kind.cast(event);
    }

    PeerSession connected(long timeoutMs) throws InterruptedException {
        return next(Connected.class, timeoutMs).session();
    }

    String disconnected(long timeoutMs) throws InterruptedException {
        return next(Disconnected.class, timeoutMs).reason();
    }

    String refused(long timeoutMs) throws InterruptedException {
        return next(Refused.class, timeoutMs).reason();
    }

    /** The next {@code count} received values, in order. */
    List<Object> take(int count, long timeoutMs) throws InterruptedException {
        List<Object> values = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (values.size() < count) {
            Received next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                fail("received " + values.size() + " of " + count + " messages: " + values);
            }
            values.add(next.value());
        }
        return values;
    }

    /** Asserts nothing more happened: no event and no message within {@code quietMs}. */
    void assertQuiet(long quietMs) throws InterruptedException {
        Thread.sleep(quietMs);
        assertThat(events).as("events").isEmpty();
        assertThat(received).as("messages").isEmpty();
        assertNoViolations();
    }

    void assertNoViolations() {
        assertThat(violations).as("listener contract violations").isEmpty();
    }

    private void enter() {
        Thread now = Thread.currentThread();
        if (inside != null && inside != now) {
            violations.add("concurrent listener calls on " + inside.getName() + " and " + now.getName());
        }
        inside = now;
    }

    private void leave() {
        inside = null;
    }

    static long crc(ByteBuf bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.nioBuffer());
        return crc.getValue();
    }
}

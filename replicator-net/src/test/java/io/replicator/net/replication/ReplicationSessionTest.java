package io.replicator.net.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.replicator.core.config.Address;
import io.replicator.core.config.NetConfig;
import io.replicator.core.control.LoopbackPorts;
import io.replicator.core.replication.DpFlags;
import io.replicator.core.replication.PeerEvents;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.ReplicaTarget;
import io.replicator.core.replication.ReplicationOutbox;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.WriteRequest;
import io.replicator.net.handshake.HandshakeCompleted;
import io.replicator.net.peer.PeerLink;
import io.replicator.net.peer.PeerLinkListener;
import io.replicator.net.peer.PeerLinkOptions;
import io.replicator.net.peer.PeerPath;
import io.replicator.net.peer.PeerSession;
import io.replicator.net.peer.PeerTransport;
import io.replicator.net.protocol.DataFrame;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;
import io.replicator.net.transport.NettyTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Secondary's session over a real link on loopback: where its writes are applied (the event loop for a small
 * write with nothing queued, the receive thread otherwise) and that the order of the stream holds across the two.
 */
@Timeout(30)
class ReplicationSessionTest {
    private static final int PRIMARY = 1;
    private static final int SECONDARY = 2;

    private final EventLoopGroup group = NettyTransport.preferred().newGroup(2);
    private final PeerTransport primaryTransport = new PeerTransport(group);
    private final PeerTransport secondaryTransport = new PeerTransport(group);
    /** What the Secondary's volumes saw, each with the thread that did it. */
    private final List<String> applied = new CopyOnWriteArrayList<>();
    /** Held closed: flushes wait for it. */
    private final CountDownLatch flushMayFinish = new CountDownLatch(1);
    private final BlockingQueue<PeerMessage> acks = new LinkedBlockingQueue<>();
    private final CompletableFuture<PeerSession> primarySession = new CompletableFuture<>();
    private final CompletableFuture<String> primaryDisconnected = new CompletableFuture<>();
    /** Thrown by the Secondary's flushes once set. */
    private volatile IOException flushFailure;

    @AfterEach
    void close() throws InterruptedException {
        flushMayFinish.countDown();
        primaryTransport.close();
        secondaryTransport.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void smallWritesRunOnTheLoopAndNothingOvertakesABarrierFlush() throws Exception {
        PeerSession session = connect();

        // Idle Secondary, 4 KiB: applied on the event loop (no hand-off to the receive thread), acknowledged.
        session.sendAndFlush(write(0, 4096, 1));
        assertThat(nextAck()).isEqualTo(new PeerMessage.WriteAck(0, 0, 1, 4096, 1));
        assertThat(applied.get(0)).startsWith("write @0 on ").doesNotContain("receive");

        // A barrier flushes on the receive thread (the flush waits for the latch); the write behind it must wait too.
        session.sendAndFlush(new PeerMessage.Barrier(1));
        session.sendAndFlush(write(4096, 4096, 2));
        Thread.sleep(300);
        assertThat(applied).noneMatch(event -> event.startsWith("write @4096"));
        assertThat(acks).isEmpty();

        flushMayFinish.countDown();
        assertThat(nextAck()).isEqualTo(new PeerMessage.BarrierAck(1, 1));
        assertThat(nextAck()).isEqualTo(new PeerMessage.WriteAck(0, 4096, 2, 4096, 2));
        int flushed = indexOf("flush all");
        int second = indexOf("write @4096");
        assertThat(flushed).isGreaterThan(0).isLessThan(second);
        assertThat(applied.get(second)).contains("receive r0");

        // A large write goes to the receive thread even when nothing is queued.
        session.sendAndFlush(write(1 << 20, 1 << 20, 3));
        assertThat(nextAck()).isEqualTo(new PeerMessage.WriteAck(0, 1 << 20, 3, 1 << 20, 3));
        assertThat(applied.get(indexOf("write @1048576"))).contains("receive r0");
    }

    /** A barrier whose flush fails is not acknowledged, ends the session, and nothing behind it is applied. */
    @Test
    void aFailedBarrierFlushEndsTheSessionBeforeAnyLaterWriteIsApplied() throws Exception {
        PeerSession session = connect();
        flushFailure = new IOException("EIO");
        flushMayFinish.countDown();
        session.sendAndFlush(write(0, 4096, 1));
        assertThat(nextAck()).isEqualTo(new PeerMessage.WriteAck(0, 0, 1, 4096, 1));
        session.sendAndFlush(new PeerMessage.Barrier(1));
        session.sendAndFlush(write(4096, 4096, 2));
        assertThat(primaryDisconnected.get(10, TimeUnit.SECONDS)).isNotNull();
        Thread.sleep(200);
        assertThat(applied).noneMatch(event -> event.startsWith("write @4096"));
        assertThat(acks).isEmpty();
    }

    private int indexOf(String prefix) {
        for (int i = 0; i < applied.size(); i++) {
            if (applied.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private PeerMessage nextAck() throws InterruptedException {
        PeerMessage ack = acks.poll(10, TimeUnit.SECONDS);
        assertThat(ack).as("an ack within 10 s").isNotNull();
        return ack;
    }

    private static DataFrame write(long offset, int size, long id) {
        return new DataFrame(MessageType.DATA, 0, offset, id, (int) id, DpFlags.SEND_WRITE_ACK,
            Unpooled.wrappedBuffer(new byte[size]));
    }

    /** Links the two sides and returns the Primary's session once both are up. */
    private PeerSession connect() throws Exception {
        int[] ports = LoopbackPorts.pick(2);
        int primaryPort = ports[0];
        int secondaryPort = ports[1];
        NetConfig net = NetConfig.of(Map.of("connect-int", "1"));
        PeerLink secondary = secondaryTransport.link(new PeerLinkOptions(SECONDARY, PRIMARY,
                List.of(path(secondaryPort, primaryPort)), net, false),
            new ReplicationSession("r0 with primary", new SecondaryEvents(), net));
        PeerLink primary = primaryTransport.link(new PeerLinkOptions(PRIMARY, SECONDARY,
            List.of(path(primaryPort, secondaryPort)), net, false), new PrimaryListener());
        secondary.start();
        primary.start();
        return primarySession.get(20, TimeUnit.SECONDS);
    }

    /** Stands in for the Primary's replication: keeps the session, collects the acks. */
    private final class PrimaryListener implements PeerLinkListener {
        @Override
        public void connected(PeerSession session, HandshakeCompleted handshake) {
            primarySession.complete(session);
        }

        @Override
        public void received(PeerSession session, PeerMessage message) {
            if (message instanceof PeerMessage.WriteAck || message instanceof PeerMessage.BarrierAck) {
                acks.add(message);
            }
            ReferenceCountUtil.release(message);
        }

        @Override
        public void disconnected(PeerSession session, String reason) {
            primaryDisconnected.complete(reason);
        }

        @Override
        public void refused(String reason) {
            primarySession.completeExceptionally(new IOException(reason));
        }
    }

    /** A Secondary with disk flushes whose volumes record what they do and where. */
    private final class SecondaryEvents implements PeerEvents {
        private final TransferLog log = new TransferLog(new NoOutbox(), 100, List.of(PRIMARY), System::nanoTime);
        private final ReplicaTarget volumes = new ReplicaTarget() {
            @Override
            public void write(int volume, long offset, ByteBuf data) {
                applied.add("write @" + offset + " on " + Thread.currentThread().getName());
            }

            @Override
            public void zero(int volume, long offset, long length) {
                applied.add("zero @" + offset + " on " + Thread.currentThread().getName());
            }

            @Override
            public void flush(int volume) {
                applied.add("flush " + volume);
            }

            @Override
            public void flushAll() throws IOException {
                try {
                    flushMayFinish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                if (flushFailure != null) {
                    throw flushFailure;
                }
                applied.add("flush all on " + Thread.currentThread().getName());
            }

            @Override
            public void markOutOfSync(int volume, long offset, long length) {
            }
        };

        @Override
        public void connected(PeerSender sender) {
        }

        @Override
        public void report(VolumeReport report) {
        }

        @Override
        public Optional<ReplicaTarget> replicaTarget() {
            return Optional.of(volumes);
        }

        @Override
        public void bitmapChunk(int volume, long fromBit, ByteBuf rle, boolean last) {
        }

        @Override
        public void sync(SyncMessage message) {
        }

        @Override
        public void resyncData(int volume, long offset, long id, ByteBuf data) {
        }

        @Override
        public boolean diskFlushes() {
            return true;
        }

        @Override
        public void disconnected(PeerSender session, String reason) {
        }

        @Override
        public void refused(String reason) {
        }

        @Override
        public TransferLog transferLog() {
            return log;
        }
    }

    /** The Secondary's transfer log sends nothing here. */
    private static final class NoOutbox implements ReplicationOutbox {
        @Override
        public void sendWrite(int peer, WriteRequest request, int dpFlags) {
        }

        @Override
        public void sendBarrier(int peer, int epoch) {
        }

        @Override
        public void sendOutOfSync(int peer, int volume, long offset, long length) {
        }

        @Override
        public void markOutOfSync(int peer, int volume, long offset, long length) {
        }

        @Override
        public void dropPeer(int peer, String reason) {
        }
    }

    private static PeerPath path(int localPort, int peerPort) {
        return new PeerPath(new Address("ipv4", "127.0.0.1", localPort), new Address("ipv4", "127.0.0.1", peerPort));
    }
}

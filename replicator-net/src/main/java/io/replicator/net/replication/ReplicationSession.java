package io.replicator.net.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.replicator.core.bitmap.BitmapRle;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.config.NetConfig;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.DpFlags;
import io.replicator.core.replication.EarlyFlushTarget;
import io.replicator.core.replication.PeerEvents;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.ReplicaReceiver;
import io.replicator.core.replication.ReplicaReplies;
import io.replicator.core.replication.ReplicaTarget;
import io.replicator.core.replication.TransferLog;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.WriteRequest;
import io.replicator.net.handshake.HandshakeCompleted;
import io.replicator.net.peer.PeerLinkListener;
import io.replicator.net.peer.PeerSession;
import io.replicator.net.protocol.DataFrame;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the sessions of one peer link for its resource.
 *
 * <ul>
 *   <li>Control-stream messages (acks, barrier acks) go straight to the resource's {@link TransferLog} on the event
 *       loop: it never blocks.</li>
 *   <li>Data-stream messages (reports, writes, barriers, out-of-sync notices) are handled in arrival order by one
 *       receive thread per session, which may block on the disk; so a report is acted on before any write that
 *       follows it, and writes are applied in order ({@link ReplicaReceiver}). A small write that finds the receive
 *       thread idle is applied on the event loop instead ({@code Receive.applyInline}): still in order, two thread
 *       wake-ups fewer.</li>
 *   <li>With {@code disk-flushes}, the next barrier's flush starts when the receiver goes idle
 *       ({@link EarlyFlushTarget}): on the receive thread itself when it covers little data, else on a flusher.</li>
 *   <li>Back-pressure ({@code max-buffers}): while more than {@code max-buffers × 4 KiB} of writes wait for the
 *       receive thread, the session stops reading its data channel; the Primary's sends then back up through TCP.</li>
 * </ul>
 */
final class ReplicationSession implements PeerLinkListener {
    private static final System.Logger LOG = System.getLogger(ReplicationSession.class.getName());
    private static final long PAGE_BYTES = 4096;
    /** Largest run-length encoded bitmap chunk we send. */
    private static final int BITMAP_CHUNK_BYTES = 64 * 1024;
    /** Largest replicated write the event loop applies itself (see {@code Receive.applyInline}). */
    private static final int INLINE_MAX_BYTES = 64 * 1024;

    private final String name;
    private final PeerEvents events;
    private final long maxQueuedBytes;
    private volatile Receive receive;
    /** The sender each live session was reported with, so that its end names it (a newer one may be current). */
    private final Map<PeerSession, PeerSender> senders = new ConcurrentHashMap<>();
    /** The previous session's receive thread: the next one starts only once it has drained (write order). */
    private ExecutorService lastThread;

    ReplicationSession(String name, PeerEvents events, NetConfig net) {
        this.name = name;
        this.events = events;
        this.maxQueuedBytes = net.maxBuffers() * PAGE_BYTES;
    }

    @Override
    public void connected(PeerSession session, HandshakeCompleted handshake) {
        receive = new Receive(session, lastThread);
        lastThread = receive.thread;
        Sender sender = new Sender(session, receive);
        senders.put(session, sender);
        events.connected(sender);
    }

    @Override
    public void received(PeerSession session, PeerMessage message) {
        Receive current = receive;
        if (current == null || current.session != session) {
            ReferenceCountUtil.release(message);
            return;
        }
        int peer = session.peerNodeId();
        TransferLog log = events.transferLog();
        if (message instanceof PeerMessage.RecvAck ack) {
            log.receiveAck(peer, ack.blockId());
        } else if (message instanceof PeerMessage.WriteAck ack) {
            log.writeAck(peer, ack.blockId());
        } else if (message instanceof PeerMessage.NegAck ack) {
            log.negativeAck(peer, ack.blockId());
        } else if (message instanceof PeerMessage.BarrierAck ack) {
            log.barrierAck(peer, ack.epoch(), ack.setSize());
        } else if (message instanceof PeerMessage.Sync sync && sync.type() == MessageType.SYNC_REPLY) {
            try {
                SyncMessage core = toCore(sync);
                if (!core.kind().control()) {
                    throw new IllegalArgumentException(core.kind() + " on the control stream");
                }
                events.sync(core);
            } catch (RuntimeException malformed) {
                session.close("protocol error: " + malformed.getMessage());
            }
        } else if (!current.applyInline(message)) {
            current.enqueue(message);
        }
    }

    @Override
    public void disconnected(PeerSession session, String reason) {
        PeerSender ended = senders.remove(session);
        Receive current = receive;
        if (current != null && current.session == session) {
            receive = null;
            // Writers waiting for this peer's acks are released at once ...
            events.sessionEnding(session.peerNodeId());
            // ... but the resource hears of the end only after what the peer sent before it (its reports, say)
            // was handled: a peer that refuses the connection sends its reports and closes, and both sides must
            // take the same decision (StandAlone), not one of them only because the close overtook the reports.
            try {
                current.thread.execute(() -> events.disconnected(ended, reason));
                current.stop();
                return;
            } catch (RejectedExecutionException stopped) {
                current.stop();
            }
        }
        events.disconnected(ended, reason);
    }

    @Override
    public void refused(String reason) {
        events.refused(reason);
    }

    /** The receive thread of one session and the state it owns. */
    private final class Receive {
        final PeerSession session;
        final ExecutorService thread;
        final ReceiveQueueGate gate;
        final Map<Integer, PeerMessage.Uuids> uuids = new HashMap<>();
        final Map<Integer, PeerMessage.Sizes> sizes = new HashMap<>();
        /** Per volume, writes read from the peer that it waits for an ack of, until handled (DRBD's unacked). */
        final Map<Integer, AtomicLong> unacked = new ConcurrentHashMap<>();
        /** Messages handed to the receive thread and not yet handled: while any, nothing is applied inline. */
        final AtomicInteger pending = new AtomicInteger();
        ReplicaReceiver receiver;
        /** With disk-flushes: starts a barrier's flush when the receiver goes idle (null until the receiver). */
        EarlyFlushTarget earlyFlush;
        /** Runs {@link #earlyFlush}'s flushes (its thread starts with the first). */
        final ExecutorService flusher;
        /**
         * Set when a barrier's flush failed: its epoch is not durable, so no later write of this session may be
         * applied (DRBD's write ordering). The session is closed; what is still queued is dropped.
         */
        volatile boolean stopApplying;
        /** {@code disk-flushes} and whether writes are quick here, read once per session: the loop asks per message. */
        final boolean diskFlushes;
        final boolean writesAreQuick;

        Receive(PeerSession session, ExecutorService previous) {
            this.session = session;
            this.diskFlushes = events.diskFlushes();
            this.writesAreQuick = events.writesAreQuick();
            this.gate = new ReceiveQueueGate(maxQueuedBytes, session.eventLoop(), session::setDataAutoRead);
            this.thread = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "receive " + name);
                t.setDaemon(true);
                return t;
            });
            this.flusher = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "flush " + name);
                t.setDaemon(true);
                return t;
            });
            if (previous != null) {
                // Counted as pending: nothing of this session is applied inline before the last one's writes.
                pending.incrementAndGet();
                thread.execute(() -> {
                    try {
                        previous.awaitTermination(1, TimeUnit.MINUTES);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    } finally {
                        pending.decrementAndGet();
                    }
                });
            }
        }

        void enqueue(PeerMessage message) {
            long bytes = message instanceof DataFrame frame ? frame.payload().readableBytes() : 0;
            gate.queued(bytes);
            AtomicLong awaitingAck = awaitingAck(message);
            if (awaitingAck != null) {
                awaitingAck.incrementAndGet();
            }
            pending.incrementAndGet();
            try {
                thread.execute(() -> {
                    EarlyFlushTarget early = null;
                    try {
                        handle(message);
                        early = earlyFlush;   // read while this thread owns the receiver
                    } finally {
                        done(message, awaitingAck, bytes);
                    }
                    // Idle: start the next barrier's flush, here if it is small (what queues meanwhile waits for
                    // it; the loop may apply small writes meanwhile, as during a flush on the flusher).
                    if (early != null && pending.get() == 0) {
                        early.idleMayBlock();
                    }
                });
            } catch (RejectedExecutionException stopped) {
                done(message, awaitingAck, bytes);
            }
        }

        private void done(PeerMessage message, AtomicLong awaitingAck, long bytes) {
            if (awaitingAck != null) {
                awaitingAck.decrementAndGet();
            }
            ReferenceCountUtil.release(message);
            gate.handled(bytes);
            // Last: once the event loop reads 0 it may touch the receiver (this write publishes its state).
            pending.decrementAndGet();
        }

        /**
         * On the event loop: applies {@code message} here instead of on the receive thread when that saves two
         * thread wake-ups and cannot reorder or stall anything — a small replicated write of data (not zeroes) without
         * flush or FUA, to volumes without {@code durability dsync}, or a barrier without {@code disk-flushes} or
         * whose flush the early flush has done already, while nothing waits for the receive thread (so it is next in
         * order, and the receive thread is idle: the two never touch the receiver at once). A page-cache write of a
         * few KiB costs microseconds; a thread wake-up on a busy 2-vCPU machine 45–100 µs, twice per write (to the
         * receive thread, and back to the loop to send the ack). Flushes, large writes, resync data and reports stay
         * on the receive thread: they may block for milliseconds, and pings share this loop. Returns whether it did.
         */
        boolean applyInline(PeerMessage message) {
            if (pending.get() != 0 || !inlineCandidate(message)) {
                return false;
            }
            try {
                handle(message);
                if (earlyFlush != null) {
                    earlyFlush.idle();
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
            return true;
        }

        private boolean inlineCandidate(PeerMessage message) {
            if (message instanceof DataFrame frame) {
                // Not zeroes either: punching a hole may wait for the file system's journal.
                return frame.type() == MessageType.DATA && frame.sizeBytes() <= INLINE_MAX_BYTES
                    && (frame.dpFlags() & (DpFlags.FLUSH | DpFlags.FUA | DpFlags.NO_DATA)) == 0 && writesAreQuick;
            }
            // A barrier whose flush is done already (the early flush covered every write applied) does not block.
            return message instanceof PeerMessage.Barrier
                && (!diskFlushes || earlyFlush != null && earlyFlush.covered());
        }

        /**
         * The unacked counter of {@code message}'s volume if the peer waits for an ack of it: a write asking for a
         * receive or write ack (protocols B and C), or resync data (acknowledged once written); null otherwise.
         */
        private AtomicLong awaitingAck(PeerMessage message) {
            if (!(message instanceof DataFrame frame)) {
                return null;
            }
            boolean acked = frame.type() == MessageType.RESYNC_DATA || (frame.type() == MessageType.DATA
                && (frame.dpFlags() & (DpFlags.SEND_RECEIVE_ACK | DpFlags.SEND_WRITE_ACK)) != 0);
            return acked ? unacked.computeIfAbsent(frame.volume(), volume -> new AtomicLong()) : null;
        }

        /** Writes of {@code volume} the peer waits for an ack of. */
        long unacked(int volume) {
            AtomicLong count = unacked.get(volume);
            return count == null ? 0 : count.get();
        }

        /** Lets the thread drain what is queued (releasing it) and end; never blocks the event loop. */
        void stop() {
            thread.shutdown();
            // Early flushes asked for later are refused; a barrier still queued then flushes itself.
            flusher.shutdown();
        }

        private void handle(PeerMessage message) {
            if (stopApplying && (message instanceof DataFrame || message instanceof PeerMessage.Barrier
                || message instanceof PeerMessage.OutOfSync)) {
                return;
            }
            try {
                if (message instanceof PeerMessage.Uuids u) {
                    uuids.put(u.volume(), u);
                } else if (message instanceof PeerMessage.Sizes s) {
                    sizes.put(s.volume(), s);
                } else if (message instanceof PeerMessage.State state) {
                    report(state);
                } else if (message instanceof DataFrame frame) {
                    write(frame);
                } else if (message instanceof PeerMessage.Barrier barrier) {
                    ReplicaReceiver r = receiver();
                    if (r != null) {
                        r.barrier(barrier.epoch());
                    }
                } else if (message instanceof PeerMessage.Sync sync) {
                    SyncMessage core = toCore(sync);
                    if (core.kind().control()) {
                        throw new IllegalArgumentException(core.kind() + " on the data stream");
                    }
                    events.sync(core);
                } else if (message instanceof PeerMessage.BitmapChunk chunk) {
                    events.bitmapChunk(chunk.volume(), chunk.fromBit(), chunk.rle(), chunk.last());
                } else if (message instanceof PeerMessage.OutOfSync oos) {
                    ReplicaReceiver r = receiver();
                    if (r != null) {
                        r.outOfSync(oos.volume(), oos.sector(), oos.sizeBytes());
                    }
                } else {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: ignoring {1}", name, message.type());
                }
            } catch (IOException failure) {
                LOG.log(System.Logger.Level.ERROR, "{0}: local I/O error applying the peer''s data: {1}", name,
                    failure.getMessage());
                if (message instanceof PeerMessage.Barrier barrier) {
                    // Not acknowledged, so the Primary keeps every write of the epoch in its transfer log; when the
                    // session ends it marks them out of sync, and the resync after the reconnect copies them again.
                    stopApplying = true;
                    session.close("local I/O error: the flush of epoch " + barrier.epoch() + " failed: "
                        + failure.getMessage());
                }
            } catch (RuntimeException malformed) {
                session.close("protocol error: " + malformed.getMessage());
            }
        }

        private void report(PeerMessage.State state) {
            PeerMessage.Uuids u = uuids.remove(state.volume());
            PeerMessage.Sizes s = sizes.remove(state.volume());
            if (u == null || s == null) {
                session.close("protocol error: STATE of volume " + state.volume() + " without UUIDS and SIZES");
                return;
            }
            events.report(ReportCodec.decode(u, s, state));
        }

        private void write(DataFrame frame) throws IOException {
            ReplicaReceiver r = receiver();
            if (r == null) {
                // Not replicating from this peer (yet): the Primary marks what we miss, never apply it here.
                return;
            }
            if (frame.type() == MessageType.RESYNC_DATA) {
                events.resyncData(frame.volume(), frame.sector(), frame.blockId(), frame.payload());
                return;
            }
            if (frame.type() != MessageType.DATA) {
                return;
            }
            r.write(frame.volume(), frame.sector(), frame.sizeBytes(), frame.dpFlags(), frame.blockId(),
                frame.sequence(), frame.payload());
        }

        private ReplicaReceiver receiver() {
            if (receiver == null) {
                Optional<ReplicaTarget> target = events.replicaTarget();
                if (target.isEmpty()) {
                    return null;
                }
                ReplicaTarget volumes = target.get();
                if (diskFlushes) {
                    earlyFlush = new EarlyFlushTarget(volumes, flusher);
                    volumes = earlyFlush;
                }
                receiver = new ReplicaReceiver(volumes, new Replies(session), diskFlushes);
            }
            return receiver;
        }
    }

    /** The core's view of a sync frame. */
    private static SyncMessage toCore(PeerMessage.Sync sync) {
        return new SyncMessage(SyncMessage.Kind.of(sync.kind()), sync.volume(), sync.sector(), sync.sizeBytes(),
            sync.blockId(), sync.digest());
    }

    /** Acks to the Primary, on the control channel. */
    private record Replies(PeerSession session) implements ReplicaReplies {
        @Override
        public void receiveAck(int volume, long offset, long id, int sizeBytes, int sequence) {
            session.sendAndFlush(new PeerMessage.RecvAck(volume, offset, id, sizeBytes, sequence));
        }

        @Override
        public void writeAck(int volume, long offset, long id, int sizeBytes, int sequence) {
            session.sendAndFlush(new PeerMessage.WriteAck(volume, offset, id, sizeBytes, sequence));
        }

        @Override
        public void negativeAck(int volume, long offset, long id, int sizeBytes, int sequence) {
            session.sendAndFlush(new PeerMessage.NegAck(volume, offset, id, sizeBytes, sequence));
        }

        @Override
        public void barrierAck(int epoch, int setSize) {
            session.sendAndFlush(new PeerMessage.BarrierAck(epoch, setSize));
        }
    }

    /** What the resource sends to the peer, as frames. Offsets travel in the frames' sector fields as bytes. */
    private record Sender(PeerSession session, Receive receive) implements PeerSender {
        @Override
        public void sendReport(VolumeReport report) {
            for (PeerMessage message : ReportCodec.encode(report)) {
                session.send(message);
            }
            session.flush();
        }

        @Override
        public void sendWrite(WriteRequest request, int dpFlags, Runnable handedOver) {
            boolean noData = (dpFlags & DpFlags.NO_DATA) != 0;
            ByteBuf payload = noData ? Unpooled.EMPTY_BUFFER : request.payload().retainedSlice();
            DataFrame frame;
            try {
                frame = new DataFrame(MessageType.DATA, request.volume(), request.offset(), request.id(),
                    request.sequence(), dpFlags, (int) request.length(), payload);
            } catch (IllegalArgumentException impossible) {
                // Called under the transfer log's lock: never throw. Dropping the session marks the write.
                payload.release();
                session.close("cannot send write " + request + ": " + impossible.getMessage());
                return;
            }
            if (handedOver == null) {
                session.sendAndFlush(frame);
            } else {
                session.sendAndFlush(frame, handedOver);
            }
        }

        @Override
        public void sendBarrier(int epoch) {
            session.sendAndFlush(new PeerMessage.Barrier(epoch));
        }

        @Override
        public void sendOutOfSync(int volume, long offset, long length) {
            session.sendAndFlush(new PeerMessage.OutOfSync(volume, offset, (int) length));
        }

        @Override
        public void sendBitmap(int volume, DirtyBitmap bitmap) {
            long bit = 0;
            long end = bitmap.blockCount();
            do {
                ByteBuf rle = PooledByteBufAllocator.DEFAULT.buffer(BITMAP_CHUNK_BYTES);
                long next = BitmapRle.encode(bitmap, bit, rle, BITMAP_CHUNK_BYTES);
                if (next == bit && next < end) {
                    // A writer flipped the first bit while it was read: the next chunk restates the polarity.
                    rle.release();
                    continue;
                }
                session.send(new PeerMessage.BitmapChunk(volume, bit, rle, next >= end));
                bit = next;
            } while (bit < end);
            if (end == 0) {
                session.send(new PeerMessage.BitmapChunk(volume, 0, Unpooled.EMPTY_BUFFER, true));
            }
            session.flush();
        }

        @Override
        public void sendSync(SyncMessage message) {
            session.sendAndFlush(new PeerMessage.Sync(message.kind().control() ? MessageType.SYNC_REPLY
                : MessageType.SYNC, message.volume(), message.kind().code(), message.offset(), message.length(),
                message.id(), message.digest()));
        }

        @Override
        public void sendResyncData(int volume, long offset, long id, ByteBuf data) {
            DataFrame frame;
            try {
                frame = new DataFrame(MessageType.RESYNC_DATA, volume, offset, id, 0, 0, data.readableBytes(), data);
            } catch (IllegalArgumentException impossible) {
                data.release();
                session.close("cannot send resync data at " + offset + ": " + impossible.getMessage());
                return;
            }
            session.sendAndFlush(frame);
        }

        @Override
        public void close(String reason) {
            session.close(reason);
        }

        @Override
        public String remoteAddress() {
            return session.remoteAddress();
        }

        @Override
        public String localAddress() {
            return session.localAddress();
        }

        @Override
        public OptionalLong pingRttNanos() {
            return session.pingRttNanos();
        }

        @Override
        public long unacked(int volume) {
            return receive.unacked(volume);
        }
    }
}

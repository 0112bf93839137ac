package io.replicator.core.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.collection.LongObjectHashMap;
import io.replicator.core.config.Protocol;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The Primary's transfer log: every write from submission until each replicating peer has acknowledged it by the
 * rules of its protocol and confirmed its epoch with a barrier ack (DRBD §2).
 *
 * <ul>
 *   <li><b>Order.</b> Writes get a sequence number and go to every replicating peer in that order, under one lock,
 *       so every peer sees one order. A write overlapping a write still in flight waits until that one completes
 *       (as DRBD serialises conflicting local writes), so peers never apply two overlapping writes in an order
 *       different from the Primary's.</li>
 *   <li><b>Completion.</b> A write completes once the local write is done and every replicating peer reached "OK":
 *       A when the data was handed to the network ({@link #handedOver}), B on the receive ack, C on the write ack. A
 *       negative ack marks the range out of sync for that peer and counts as OK (the local copy holds the data).</li>
 *   <li><b>Epochs.</b> A new epoch starts when a write completes while its epoch is still current (so a write issued
 *       after another completed always lands in a later epoch), when {@code max-epoch-size} writes went into it, and
 *       on {@link #flush}. Closing an epoch sends a barrier to every peer that received writes in it; empty epochs
 *       are never closed.</li>
 *   <li><b>Leaving the log.</b> A write stays until every peer it went to has barrier-acked its epoch; then
 *       {@code onRelease} runs (the caller unpins activity-log extents there). A barrier ack whose number or set
 *       size does not match the oldest unacknowledged epoch is a protocol error: the peer is dropped.</li>
 *   <li><b>Peer loss.</b> Every write still in the log for a lost peer is marked out of sync for it and counts as
 *       done there; writes to peers that are not replicating are marked out of sync before they are sent anywhere, so
 *       the bitmap covers every block a peer may lack.</li>
 *   <li><b>Without quorum.</b> A Primary that lost quorum must not tell a client a write is done: its partition may
 *       be the one that is left behind. {@link #holdCompletions} keeps every write that would complete from then on
 *       (they stay in flight, conflicting writes keep waiting), {@link #failCompletions} fails them instead, and
 *       {@link #completeNormally} ends either.</li>
 *   <li><b>Congestion.</b> With protocol A and {@code on-congestion pull-ahead}, a peer whose unacknowledged bytes
 *       would exceed {@code congestion-fill} goes Ahead: writes are no longer sent to it, only out-of-sync notices,
 *       until {@link #resume} (after a resync). {@code on-congestion disconnect} drops it instead.</li>
 * </ul>
 *
 * Thread-safe: many I/O threads submit, network threads deliver acks. Outbox calls are made under the lock.
 */
public final class TransferLog {
    private static final int MAX_NODES = 32;
    private static final ByteBuf NO_PAYLOAD = Unpooled.EMPTY_BUFFER;

    private final ReplicationOutbox outbox;
    private final LongSupplier nanoClock;
    private final int maxEpochSize;
    private final long peersWithSlots;
    /** The node ids of {@link #peers} that are set, as a mask, so the write path visits only those. */
    private long replicating;
    private final ReplicatingPeer[] peers = new ReplicatingPeer[MAX_NODES];
    private final ArrayDeque<TransferEpoch> closed = new ArrayDeque<>();
    private final List<WriteRequest> active = new ArrayList<>();
    /** Ranges held by {@link #lockRange}: writes overlapping them wait. */
    private final LockedRanges lockedRanges = new LockedRanges();
    private final LongObjectHashMap<WriteRequest> byId = new LongObjectHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition conflictsCleared = lock.newCondition();
    private TransferEpoch current = new TransferEpoch(1);
    /** Whether writes the protocol counts done may complete now (quorum); guarded by {@link #lock}. */
    private final CompletionGate gate = new CompletionGate();
    private long nextId;
    private int nextSequence = 1;

    /**
     * @param outbox         where frames and bitmap marks go
     * @param maxEpochSize   {@code max-epoch-size}
     * @param peerNodeIds    every peer that has a bitmap slot on this node (written to out of sync while absent)
     * @param nanoClock      monotonic time, for {@code ko-count}
     */
    public TransferLog(ReplicationOutbox outbox, int maxEpochSize, List<Integer> peerNodeIds, LongSupplier nanoClock) {
        this(outbox, maxEpochSize, peerNodeIds, nanoClock, 1);
    }

    /**
     * @param firstId the id of the first write: ids grow by one per write from there, in the order writes go to the
     *                peers, so a Secondary's last applied id says how far it got ({@link io.replicator.core.generation.LastWrite})
     */
    public TransferLog(ReplicationOutbox outbox, int maxEpochSize, List<Integer> peerNodeIds, LongSupplier nanoClock,
                       long firstId) {
        this.nextId = Math.max(1, firstId);
        if (maxEpochSize < 1) {
            throw new IllegalArgumentException("max-epoch-size " + maxEpochSize);
        }
        this.outbox = outbox;
        this.maxEpochSize = maxEpochSize;
        this.nanoClock = nanoClock;
        long mask = 0;
        for (int node : peerNodeIds) {
            mask |= bit(node);
        }
        this.peersWithSlots = mask;
    }

    /** Starts replicating every later write to {@code peer}. */
    public void addPeer(int peer, PeerPolicy policy) {
        underLock(() -> {
            peers[checkNode(peer)] = new ReplicatingPeer(policy);
            replicating |= bit(peer);
        });
    }

    /** Whether writes are sent to {@code peer} now (it is replicating and not Ahead). */
    public boolean isReplicating(int peer) {
        lock.lock();
        try {
            ReplicatingPeer p = peers[checkNode(peer)];
            return p != null && !p.ahead;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops replicating to {@code peer}: every write it was sent and has not confirmed with a barrier ack is marked
     * out of sync for it and counts as done there. Does nothing for a peer that was not replicating.
     */
    public void peerLost(int peer) {
        lock.lock();
        try {
            if (peers[checkNode(peer)] == null) {
                return;
            }
            peers[peer] = null;
            long bit = bit(peer);
            replicating &= ~bit;
            // A copy: completing a write may close the current epoch, which appends to the closed ones.
            List<TransferEpoch> epochs = new ArrayList<>(closed);
            epochs.add(current);
            for (TransferEpoch epoch : epochs) {
                forget(epoch, peer, bit);
            }
            closed.removeIf(TransferEpoch::settled);
        } finally {
            lock.unlock();
        }
    }

    private void forget(TransferEpoch epoch, int peer, long bit) {
        if ((epoch.sentTo & bit) == 0) {
            return;
        }
        for (WriteRequest request : epoch.requests) {
            if ((request.inLog & bit) != 0) {
                outbox.markOutOfSync(peer, request.volume(), request.offset(), request.length());
                request.inLog &= ~bit;
                request.netPending &= ~bit;
                progress(request);
            }
        }
        epoch.sentTo &= ~bit;
        epoch.acked &= ~bit;
        epoch.setSize[peer] = 0;
    }

    /**
     * Enters a write: waits while it overlaps a write in flight, assigns its epoch and sequence, marks it out of sync
     * for absent peers and sends it to the replicating ones. The caller then writes locally and reports with
     * {@link #localCompleted}; the returned request's {@link WriteRequest#completion()} says when to answer.
     *
     * @param payload   the data for {@link WriteKind#DATA} (the outbox takes its own reference), ignored otherwise
     * @param onRelease runs once the write has left the log (it must not block; it may run on a network thread)
     */
    public WriteRequest submit(int volume, long offset, long length, WriteKind kind, boolean fua, ByteBuf payload,
                               Runnable onRelease) throws InterruptedException {
        // Never from a completion callback (they run under this lock): the write would join the completed write's
        // epoch, which progress() closes only after completing.
        assert !lock.isHeldByCurrentThread() : "a write submitted under the transfer log's lock";
        lock.lockInterruptibly();
        try {
            while (conflicts(volume, offset, length)) {
                conflictsCleared.await();
            }
            if (current.requests.size() >= maxEpochSize) {
                closeCurrentEpoch();
            }
            WriteRequest request = new WriteRequest(nextId++, volume, offset, length, kind, fua,
                kind == WriteKind.DATA ? payload : NO_PAYLOAD, onRelease, nanoClock.getAsLong());
            request.epoch = current.number;
            request.sequence = nextSequence++;
            current.requests.add(request);
            active.add(request);
            for (long todo = peersWithSlots | replicating; todo != 0; todo &= todo - 1) {
                route(request, Long.numberOfTrailingZeros(todo));
            }
            if (request.inLog != 0) {
                byId.put(request.id(), request);
            }
            return request;
        } finally {
            lock.unlock();
        }
    }

    private void route(WriteRequest request, int peer) {
        ReplicatingPeer p = peers[peer];
        if (p == null) {
            outbox.markOutOfSync(peer, request.volume(), request.offset(), request.length());
            return;
        }
        if (!p.ahead && p.policy.watchesCongestion()
            && p.unackedBytes + request.length() > p.policy.congestionFillBytes()) {
            if (p.policy.disconnectOnCongestion()) {
                outbox.markOutOfSync(peer, request.volume(), request.offset(), request.length());
                outbox.dropPeer(peer, "congestion: " + (p.unackedBytes + request.length())
                    + " bytes unacknowledged exceed congestion-fill " + p.policy.congestionFillBytes());
                return;
            }
            p.ahead = true;
            outbox.aheadChanged(peer, true);
        }
        if (p.ahead) {
            outbox.markOutOfSync(peer, request.volume(), request.offset(), request.length());
            outbox.sendOutOfSync(peer, request.volume(), request.offset(), request.length());
            return;
        }
        long bit = bit(peer);
        request.netPending |= bit;
        request.inLog |= bit;
        current.sentTo |= bit;
        current.setSize[peer]++;
        p.unackedBytes += request.length();
        outbox.sendWrite(peer, request, DpFlags.of(request, p.policy.protocol()));
    }

    /** The local write of {@code request} finished; {@code error} is null on success. */
    public void localCompleted(WriteRequest request, IOException error) {
        lock.lock();
        try {
            request.localDone = true;
            request.localError = error;
            progress(request);
        } finally {
            lock.unlock();
        }
    }

    /** Protocol A's condition: the write with id {@code id} was handed to the network toward {@code peer}. */
    public void handedOver(int peer, long id) {
        acknowledge(peer, id, Protocol.A, false);
    }

    /** The peer received the write (protocol B's condition). */
    public void receiveAck(int peer, long id) {
        acknowledge(peer, id, Protocol.B, false);
    }

    /** The peer wrote the block (protocol C's condition; also satisfies B). */
    public void writeAck(int peer, long id) {
        acknowledge(peer, id, Protocol.C, false);
    }

    /** The peer failed to write the block: it is out of sync there, and done as far as that peer goes. */
    public void negativeAck(int peer, long id) {
        acknowledge(peer, id, Protocol.C, true);
    }

    private void acknowledge(int peer, long id, Protocol ack, boolean failed) {
        lock.lock();
        try {
            ReplicatingPeer p = peers[checkNode(peer)];
            if (p == null) {
                return;
            }
            WriteRequest request = byId.get(id);
            long bit = bit(peer);
            if (request == null || (request.inLog & bit) == 0) {
                if (ack != Protocol.A) {
                    outbox.dropPeer(peer, "protocol error: acknowledgement for unknown write " + id);
                }
                return;
            }
            if (failed) {
                outbox.markOutOfSync(peer, request.volume(), request.offset(), request.length());
            }
            if (failed || ack.compareTo(p.policy.protocol()) >= 0) {
                request.netPending &= ~bit;
                progress(request);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code peer} confirmed that epoch {@code epoch}, of {@code setSize} writes, is on its stable storage. A
     * mismatch with the oldest epoch the peer has not confirmed drops the peer.
     */
    public void barrierAck(int peer, int epoch, int setSize) {
        lock.lock();
        try {
            ReplicatingPeer p = peers[checkNode(peer)];
            if (p == null) {
                return;
            }
            long bit = bit(peer);
            TransferEpoch oldest = null;
            for (TransferEpoch candidate : closed) {
                if ((candidate.sentTo & ~candidate.acked & bit) != 0) {
                    oldest = candidate;
                    break;
                }
            }
            if (oldest == null || oldest.number != epoch || oldest.setSize[peer] != setSize) {
                outbox.dropPeer(peer, "protocol error: barrier ack for epoch " + epoch + " (" + setSize
                    + " writes) but the oldest open epoch is " + (oldest == null ? "none"
                    : oldest.number + " (" + oldest.setSize[peer] + " writes)"));
                return;
            }
            oldest.acked |= bit;
            for (WriteRequest request : oldest.requests) {
                if ((request.inLog & bit) != 0) {
                    request.inLog &= ~bit;
                    request.netPending &= ~bit;
                    p.unackedBytes -= request.length();
                    progress(request);
                }
            }
            closed.removeIf(TransferEpoch::settled);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the current epoch (an application flush): a barrier goes to every peer that received writes in it, so
     * they flush them. Like DRBD's empty flush, it does not wait for the barrier acks.
     */
    public void flush() {
        underLock(this::closeCurrentEpoch);
    }

    /** {@code peer} is no longer Ahead: later writes are sent to it again (call once a resync caught it up). */
    public void resume(int peer) {
        underLock(() -> {
            ReplicatingPeer p = peers[checkNode(peer)];
            if (p != null && p.ahead) {
                p.ahead = false;
                outbox.aheadChanged(peer, false);
            }
        });
    }

    /**
     * Drops every peer that left a write unanswered for longer than its {@code timeout × ko-count}; call it
     * periodically (every {@code timeout}).
     */
    public void checkTimeouts() {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            for (int peer = 0; peer < MAX_NODES; peer++) {
                ReplicatingPeer p = peers[peer];
                if (p == null || p.policy.koNanos() <= 0) {
                    continue;
                }
                long bit = bit(peer);
                for (WriteRequest request : active) {
                    if ((request.netPending & bit) != 0 && now - request.submittedNanos > p.policy.koNanos()) {
                        outbox.dropPeer(peer, "peer did not answer a write within timeout x ko-count ("
                            + p.policy.koNanos() / 1_000_000 + " ms)");
                        break;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The highest write id such that this write and every earlier one completed locally (or 0 when none did): what a
     * flush issued now covers on this node's disk.
     */
    public long locallyCompletedThrough() {
        return read(() -> active.stream().filter(request -> !request.localDone).findFirst()
            .map(request -> request.id() - 1).orElse(nextId - 1));
    }

    /** Writes submitted and not yet completed. */
    public int inFlight() {
        return read(active::size);
    }

    /** Bytes sent to {@code peer} and not yet confirmed by a barrier ack. */
    public long unackedBytes(int peer) {
        return read(() -> {
            ReplicatingPeer p = peers[checkNode(peer)];
            return p == null ? 0L : p.unackedBytes;
        });
    }

    /**
     * Writes of {@code volume} sent to {@code peer} that still wait for the acknowledgement its protocol asks for
     * (DRBD's {@code pending}): the hand-over with A, the receive ack with B, the write ack with C.
     */
    public int pending(int peer, int volume) {
        long bit = bit(checkNode(peer));
        return read(() -> (int) active.stream()
            .filter(request -> request.volume() == volume && (request.netPending & bit) != 0).count());
    }

    /** The current (open) epoch's number. */
    public int currentEpoch() {
        return read(() -> current.number);
    }

    private boolean conflicts(int volume, long offset, long length) {
        for (WriteRequest request : active) {
            if (request.overlaps(volume, offset, length)) {
                return true;
            }
        }
        return lockedRanges.overlap(volume, offset, length);
    }

    /**
     * Holds {@code [offset, offset + length)} of {@code volume} for a resync or verify read: waits until no write
     * overlapping it is in flight (locally or toward a peer), then makes overlapping writes wait at {@link #submit}
     * until {@link #unlockRange}. A sync source reads the block and queues its reply to the peer while holding the
     * range, so on the ordered data stream the reply follows every earlier write of the block and precedes every
     * later one: the target never overwrites a newer write with older resync data (DRBD serialises resync and
     * application writes the same way).
     */
    public void lockRange(int volume, long offset, long length) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (conflicts(volume, offset, length)) {
                conflictsCleared.await();
            }
            lockedRanges.add(volume, offset, length);
        } finally {
            lock.unlock();
        }
    }

    /** Releases a range taken with {@link #lockRange} (same arguments). */
    public void unlockRange(int volume, long offset, long length) {
        underLock(() -> {
            lockedRanges.remove(volume, offset, length);
            conflictsCleared.signalAll();
        });
    }

    /**
     * From now on, a write that the protocol counts done is held instead of completing, until
     * {@link #failCompletions} or {@link #completeNormally}. Call it before {@link #peerLost} when the loss takes
     * quorum away: the loss itself would complete the writes that waited only for that peer.
     */
    public void holdCompletions() {
        underLock(gate::hold);
    }

    /**
     * Fails every held write, and every other write whose local part is done, with {@code failure}, and every write
     * that would complete from now on, until {@link #completeNormally}. Their data may be on this node and on some
     * peers, or not: a failed write's range is undefined, as after any failed write.
     */
    public void failCompletions(IOException failure) {
        // Every write whose local part is done fails now, even one a peer has yet to acknowledge: without quorum its
        // client must not wait for what may never count (nor a demotion wait for it).
        underLock(() -> progressAll(gate.fail(failure, active)));
    }

    /**
     * Ends {@link #holdCompletions} and {@link #failCompletions}: writes complete when the protocol says again. Writes
     * still held fail with {@code heldFailure}: while they waited, the peers may have resynced a range from a copy
     * without them.
     */
    public void completeNormally(IOException heldFailure) {
        underLock(() -> {
            progressAll(gate.fail(heldFailure, active));
            gate.open();
        });
    }

    /**
     * Ends a {@link #holdCompletions} that turned out not to be needed (the loss left quorum): the held writes
     * complete as the protocol said. Does nothing while {@link #failCompletions} is in force.
     */
    public void releaseHeld() {
        underLock(() -> progressAll(gate.release()));
    }

    /** Whether writes are held or failed for lack of quorum. */
    public boolean completionsSuspended() {
        lock.lock();
        try {
            return gate.suspended();
        } finally {
            lock.unlock();
        }
    }

    /** {@code query} of the log's state, under its lock. */
    private <T> T read(java.util.function.Supplier<T> query) {
        lock.lock();
        try {
            return query.get();
        } finally {
            lock.unlock();
        }
    }

    private void underLock(Runnable work) {
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }

    private void progressAll(List<WriteRequest> requests) {
        for (WriteRequest request : requests) {
            progress(request);
        }
    }

    /** Whether {@code peer} is in the log's peers (replicating or Ahead): {@link #peerLost} was not called since. */
    public boolean hasPeer(int peer) {
        lock.lock();
        try {
            return peers[checkNode(peer)] != null;
        } finally {
            lock.unlock();
        }
    }


    /** Completes and releases {@code request} as far as its state allows. */
    private void progress(WriteRequest request) {
        if (!request.completed && request.localDone && request.netPending == 0 && gate.hold(request)) {
            return;
        }
        IOException failing = gate.failure();
        if (!request.completed && request.localDone && (request.netPending == 0 || failing != null)) {
            if (failing != null && request.localError == null) {
                request.localError = failing;
            }
            request.completed = true;
            active.remove(request);
            conflictsCleared.signalAll();
            // Completed first: the completion hands the reply to the client (a task on the NBD loop) ahead of the
            // barrier below, which only the next write needs. Both happen under the lock, so a write that enters
            // after this completion still lands in the next epoch.
            if (request.localError != null) {
                request.completion().completeExceptionally(request.localError);
            } else {
                request.completion().complete(null);
            }
            if (request.epoch == current.number) {
                closeCurrentEpoch();
            }
        }
        if (request.completed && request.inLog == 0 && !request.released) {
            byId.remove(request.id());
            request.release();
        }
    }

    private void closeCurrentEpoch() {
        if (current.requests.isEmpty()) {
            return;
        }
        TransferEpoch done = current;
        current = new TransferEpoch(done.number + 1);
        for (long todo = done.sentTo; todo != 0; todo &= todo - 1) {
            outbox.sendBarrier(Long.numberOfTrailingZeros(todo), done.number);
        }
        if (!done.settled()) {
            closed.add(done);
        }
    }

    private static long bit(int node) {
        return 1L << node;
    }

    private static int checkNode(int node) {
        if (node < 0 || node >= MAX_NODES) {
            throw new IllegalArgumentException("node id " + node + " outside [0, " + (MAX_NODES - 1) + "]");
        }
        return node;
    }
}

package io.replicator.core.resync;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The sync target's side of one volume's resync (drbd.md §7): it pulls. Each step it walks its bitmap from where it
 * stopped, coalesces contiguous dirty blocks into requests of up to 1 MiB and sends them as the {@link Pacer}
 * allows; with {@code csums-alg} each request carries the digest of the target's own blocks, so the source answers
 * "in sync" instead of sending data that is already here. Answers are written to the data area (on the connection's
 * receive thread, in order with the Primary's writes), their blocks cleared and acknowledged, so the source clears
 * its bits too. Blocks dirtied again during a pass (e.g. by out-of-sync notices) are found by the next pass; the job
 * is finished when no bit is set and nothing is in flight.
 */
public final class ResyncTargetJob extends PacedRequester {
    /** Why a resync is paused, in DRBD's order and spelling. */
    public enum PauseReason {
        USER("user"), PEER("peer"), DEPENDENCY("dependency");

        private final String drbdName;

        PauseReason(String drbdName) {
            this.drbdName = drbdName;
        }

        public String drbdName() {
            return drbdName;
        }
    }

    private final DirtyBitmap bits;
    private final Volume data;
    private final RangeLock lock;
    private final BlockDigest csums;
    private final Consumer<SyncMessage> send;
    private final Runnable onFinished;
    private final SyncProgress progress;
    private final Set<PauseReason> paused = EnumSet.noneOf(PauseReason.class);
    private long cursor;
    /** A pass ended while some answers had failed: those blocks stay marked and the job ends without them. */
    private boolean passEndedWithFailures;
    private boolean finished;
    private long failedBytes;
    private long sameCsumBytes;

    /**
     * @param bits             this node's bitmap for the source, already merged with the source's
     * @param data             the data area resync data is written to
     * @param csums            {@code csums-alg}, or null for plain requests
     * @param send             sends a request or ack to the source
     * @param maxInFlightBytes at most this much requested and unanswered ({@code max-buffers / 2} pages)
     * @param onFinished       runs once, on the thread that cleared the last bit, when nothing is left
     */
    public ResyncTargetJob(int volume, DirtyBitmap bits, Volume data, BlockDigest csums, Pacer pacer,
                           Consumer<SyncMessage> send, LongSupplier clock, long maxInFlightBytes,
                           Runnable onFinished) {
        this(volume, bits, data, csums, pacer, send, clock, maxInFlightBytes, onFinished, RangeLock.NONE);
    }

    /**
     * A job whose node may write the volume itself (a Primary sync target, rr-conflict {@code violently}): answers
     * are written while {@code lock} holds their range against the application's writes, and an answer whose request
     * was overtaken by an application write ({@link #applicationWrite}) is dropped and asked for again, so older
     * resync data never overwrites a newer write.
     */
    public ResyncTargetJob(int volume, DirtyBitmap bits, Volume data, BlockDigest csums, Pacer pacer,
                           Consumer<SyncMessage> send, LongSupplier clock, long maxInFlightBytes,
                           Runnable onFinished, RangeLock lock) {
        super(volume, data.sizeBytes(), pacer, clock, maxInFlightBytes);
        this.lock = lock;
        this.bits = bits;
        this.data = data;
        this.csums = csums;
        this.send = send;
        this.onFinished = onFinished;
        this.progress = new SyncProgress(bits.cardinality() * DirtyBitmap.BLOCK_BYTES, clock.getAsLong());
    }

    /**
     * This node sent an application write of the range to the source: requests in flight over it are stale. Called
     * in the order the writes go to the peer (under the transfer log's lock).
     */
    public void applicationWrite(long offset, long length) {
        markStale(offset, length);
    }

    /** Progress for status. */
    public SyncProgress progress() {
        return progress;
    }

    /** Sets or clears one pause reason; requests resume when none is left. */
    public void pause(PauseReason reason, boolean on) {
        synchronized (this) {
            if (on) {
                paused.add(reason);
            } else {
                paused.remove(reason);
            }
        }
        if (!on) {
            issue();
        }
    }

    /** The pause reasons in force, in DRBD's order. */
    public synchronized Set<PauseReason> pauseReasons() {
        return EnumSet.copyOf(paused.isEmpty() ? EnumSet.noneOf(PauseReason.class) : paused);
    }

    /** Bytes that came back as failed (the source could not read, or we could not write); they stay marked. */
    public synchronized long failedBytes() {
        return failedBytes;
    }

    /** Bytes the checksums found already equal ({@code rs-same-csum}). */
    public synchronized long sameCsumBytes() {
        return sameCsumBytes;
    }

    /** Whether the job found nothing left to do. */
    public synchronized boolean finished() {
        return finished;
    }

    /**
     * Checks for the end without an answer (a resync that had nothing to do). A job that ends with
     * {@link #failedBytes()} &gt; 0 leaves those blocks marked: the target must stay Inconsistent.
     */
    public void checkFinished() {
        boolean now;
        synchronized (this) {
            now = !finished && !stopped() && inFlightRequests() == 0
                && (bits.cardinality() == 0 || passEndedWithFailures);
            if (now) {
                finished = true;
            }
        }
        if (now) {
            onFinished.run();
        }
    }

    @Override
    boolean paused() {
        return !paused.isEmpty();
    }

    @Override
    long[] nextRange(long maxBytes) {
        long blocks = bits.blockCount();
        for (int pass = 0; pass < 2; pass++) {
            while (cursor < blocks) {
                long start = bits.nextSetBit(cursor);
                if (start < 0 || start >= blocks) {
                    cursor = blocks;
                    break;
                }
                long busyEnd = inFlightEnd(start);
                if (busyEnd >= 0) {
                    cursor = busyEnd;
                    continue;
                }
                long limit = Math.min(blocks, start + Math.max(1, maxBytes / DirtyBitmap.BLOCK_BYTES));
                // Bounded scan: nextClearBit would run to the end of a fully dirty bitmap for every request.
                long stop = Math.min(nextInFlightStart(start + 1, limit), limit);
                long end = start;
                while (end < stop && bits.get(end)) {
                    end++;
                }
                if (end <= start) {
                    // Cleared since nextSetBit (by another thread): never send an empty request.
                    cursor = start + 1;
                    continue;
                }
                cursor = end;
                return new long[] {DirtyBitmap.offsetBytesOf(start), bytesOf(start, end)};
            }
            if (bits.cardinality() == 0) {
                return null;
            }
            if (inFlightRequests() > 0) {
                // The next pass starts once this one is answered: rescanning now would walk past every range in
                // flight again at each answer (quadratic in the requests of a pass).
                return null;
            }
            if (failedBytes > 0) {
                // Asking again for blocks the source could not read (or we could not write) would loop forever.
                passEndedWithFailures = true;
                return null;
            }
            cursor = 0;
        }
        return null;
    }

    @Override
    void send(long id, long offset, int length) {
        if (csums == null) {
            send.accept(SyncMessage.of(SyncMessage.Kind.REQUEST, volume, offset, length, id));
            return;
        }
        byte[] digest;
        ByteBuf local = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        try {
            data.read(local, offset, length);
            digest = csums.digest(local);
        } catch (IOException failure) {
            // Cannot read our own copy: ask for the data outright.
            digest = null;
        } finally {
            local.release();
        }
        send.accept(digest == null ? SyncMessage.of(SyncMessage.Kind.REQUEST, volume, offset, length, id)
            : new SyncMessage(SyncMessage.Kind.CSUM_REQUEST, volume, offset, length, id, digest));
    }

    /**
     * Resync data for request {@code id}: written, its blocks cleared, acknowledged. On the receive thread.
     *
     * @throws IOException if the local write failed (a negative ack went to the source; the blocks stay marked)
     */
    public void onData(long offset, long id, ByteBuf payload) throws IOException {
        // The range stays in flight until its bits are cleared (see completed), so a concurrent pass cannot see it.
        long[] range = inFlightRange(id);
        if (range == null || range[0] != offset || range[1] != payload.readableBytes()) {
            if (range != null && answered(id) != null) {
                synchronized (this) {
                    failedBytes += range[1];
                }
            }
            throw new IllegalArgumentException("resync data " + offset + "+" + payload.readableBytes()
                + " does not answer a request in flight (#" + id + ")");
        }
        try {
            lock.lock(volume, offset, range[1]);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (takeStale(id)) {
                // An application write of ours overtook the request: this answer may be older. The bits stay set;
                // the next pass asks again, after the source applied our write.
                answered(id);
                afterAnswer();
                return;
            }
            data.write(payload, offset);
        } catch (IOException failure) {
            synchronized (this) {
                if (answered(id) != null) {
                    failedBytes += range[1];
                }
            }
            send.accept(SyncMessage.of(SyncMessage.Kind.NEG_WRITE_ACK, volume, offset, (int) range[1], id));
            throw failure;
        } finally {
            lock.unlock(volume, offset, range[1]);
        }
        completed(range, id, true);
    }

    /** The source found request {@code id} in sync ({@code csums-alg}) or could not read it ({@code ok} false). */
    public void onReply(SyncMessage reply) {
        boolean inSync = reply.kind() == SyncMessage.Kind.IN_SYNC;
        long[] range = inSync ? inFlightRange(reply.id()) : answered(reply.id());
        if (range == null) {
            return;
        }
        if (takeStale(reply.id())) {
            if (inSync) {
                answered(reply.id());
            }
            afterAnswer();
            return;
        }
        synchronized (this) {
            if (inSync) {
                sameCsumBytes += range[1];
            } else {
                failedBytes += range[1];
            }
        }
        if (inSync) {
            completed(range, reply.id(), false);
        } else {
            progress.done(range[1], now());
            afterAnswer();
        }
    }

    /** Clears the range's bits and only then lets it leave the in-flight set, atomically for {@link #nextRange}. */
    private void completed(long[] range, long id, boolean ack) {
        long first = DirtyBitmap.blockOf(range[0]);
        synchronized (this) {
            if (answered(id) == null) {
                return; // answered twice concurrently: the other answer completed it
            }
            bits.clearRange(first, DirtyBitmap.blocksFor(range[0] + range[1]));
        }
        if (ack) {
            send.accept(SyncMessage.of(SyncMessage.Kind.WRITE_ACK, volume, range[0], (int) range[1], id));
        }
        progress.done(range[1], now());
        afterAnswer();
    }

    private void afterAnswer() {
        checkFinished();
        if (!finished()) {
            issue();
        }
    }
}

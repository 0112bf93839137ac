package io.replicator.core.resync;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Online verify as the verify source runs it (drbd.md §7, {@code verify-alg}): walks {@code [start, stop)} in
 * requests of up to 1 MiB; for each it reads its own blocks while holding the range against application writes,
 * keeps one digest per 4 KiB block, sends the request (still holding the range, so the peer reads after every earlier
 * write and before every later one) and compares the peer's digests when they come back. Differing blocks are marked
 * out of sync here and at the peer; nothing is repaired. The verify target's side is {@link #answer}.
 */
public final class OnlineVerify extends PacedRequester {
    private final DirtyBitmap bits;
    private final Volume data;
    private final BlockDigest digest;
    private final RangeLock lock;
    private final Consumer<SyncMessage> send;
    private final Runnable onFinished;
    private final long stopBytes;
    private final long requestBytes;
    private final SyncProgress progress;
    private final Map<Long, byte[]> ownDigests = new HashMap<>();
    private long position;
    private long outOfSyncBlocks;
    private boolean finished;

    /**
     * @param bits       this node's bitmap for the peer: differences are marked in it
     * @param startBytes where to start (block aligned)
     * @param stopBytes  where to stop (exclusive; the volume's end at most)
     * @param onFinished runs once when every request was answered and the walk reached {@code stopBytes}
     */
    public OnlineVerify(int volume, DirtyBitmap bits, Volume data, BlockDigest digest, RangeLock lock, Pacer pacer,
                        Consumer<SyncMessage> send, LongSupplier clock, long maxInFlightBytes, long startBytes,
                        long stopBytes, Runnable onFinished) {
        super(volume, data.sizeBytes(), pacer, clock, maxInFlightBytes);
        this.bits = bits;
        this.data = data;
        this.digest = digest;
        this.lock = lock;
        this.send = send;
        this.onFinished = onFinished;
        this.position = startBytes - startBytes % DirtyBitmap.BLOCK_BYTES;
        this.stopBytes = Math.min(stopBytes, data.sizeBytes());
        int digestBytes = digest.digest(PooledByteBufAllocator.DEFAULT.heapBuffer(0)).length;
        long blocksPerRequest = Math.min(MAX_REQUEST_BYTES / DirtyBitmap.BLOCK_BYTES,
            SyncMessage.MAX_DIGEST_BYTES / digestBytes);
        this.requestBytes = blocksPerRequest * DirtyBitmap.BLOCK_BYTES;
        this.progress = new SyncProgress(Math.max(0, this.stopBytes - position), clock.getAsLong());
    }

    /** Progress for status. */
    public SyncProgress progress() {
        return progress;
    }

    /** Where the walk is: the next byte to request; a later verify without a start resumes here. */
    public synchronized long position() {
        return position;
    }

    /** Blocks found different so far. */
    public synchronized long outOfSyncBlocks() {
        return outOfSyncBlocks;
    }

    @Override
    boolean paused() {
        return false;
    }

    @Override
    long[] nextRange(long maxBytes) {
        if (position >= stopBytes) {
            return null;
        }
        long wanted = Math.min(requestBytes, maxBytes);
        wanted = Math.max(DirtyBitmap.BLOCK_BYTES, wanted - wanted % DirtyBitmap.BLOCK_BYTES);
        long length = Math.min(wanted, stopBytes - position);
        long[] range = {position, length};
        position += length;
        return range;
    }

    @Override
    void send(long id, long offset, int length) {
        try {
            lock.lock(volume, offset, length);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            byte[] own;
            try {
                own = blockDigests(data, digest, offset, length);
            } catch (IOException failure) {
                own = null;
            }
            synchronized (this) {
                ownDigests.put(id, own);
            }
            send.accept(SyncMessage.of(SyncMessage.Kind.VERIFY_REQUEST, volume, offset, length, id));
        } finally {
            lock.unlock(volume, offset, length);
        }
    }

    /** The peer's digests for request {@code id}: differing blocks are marked here and at the peer. */
    public void onReply(SyncMessage reply) {
        long[] range = answered(reply.id());
        if (range == null) {
            return;
        }
        byte[] own;
        synchronized (this) {
            own = ownDigests.remove(reply.id());
        }
        byte[] theirs = reply.digest();
        long blocks = DirtyBitmap.blocksFor(range[1]);
        int each = own == null ? 0 : own.length / (int) Math.max(1, blocks);
        long first = DirtyBitmap.blockOf(range[0]);
        long runStart = -1;
        long found = 0;
        for (long i = 0; i <= blocks; i++) {
            boolean differs = i < blocks && (own == null || theirs.length != own.length
                || !java.util.Arrays.equals(own, (int) (i * each), (int) ((i + 1) * each), theirs, (int) (i * each),
                    (int) ((i + 1) * each)));
            if (differs && runStart < 0) {
                runStart = i;
            } else if (!differs && runStart >= 0) {
                bits.setRange(first + runStart, first + i);
                found += i - runStart;
                long offset = DirtyBitmap.offsetBytesOf(first + runStart);
                long end = Math.min(DirtyBitmap.offsetBytesOf(first + i), range[0] + range[1]);
                send.accept(SyncMessage.of(SyncMessage.Kind.VERIFY_OUT_OF_SYNC, volume, offset, (int) (end - offset),
                    reply.id()));
                runStart = -1;
            }
        }
        boolean done;
        synchronized (this) {
            outOfSyncBlocks += found;
            done = !finished && position >= stopBytes && inFlightRequests() == 0;
            if (done) {
                finished = true;
            }
        }
        progress.done(range[1], now());
        if (done) {
            onFinished.run();
        } else {
            issue();
        }
    }

    /**
     * The verify target's answer to a {@link SyncMessage.Kind#VERIFY_REQUEST}: the digests of its blocks. On the
     * receive thread, in order with the writes.
     *
     * @throws IllegalArgumentException if the request lies outside the volume or is too large
     */
    public static SyncMessage answer(SyncMessage request, Volume data, BlockDigest digest) {
        long offset = request.offset();
        int length = request.length();
        if (length <= 0 || length > MAX_REQUEST_BYTES || offset % DirtyBitmap.BLOCK_BYTES != 0
            || offset + length > data.sizeBytes()) {
            throw new IllegalArgumentException("verify request " + offset + "+" + length + " outside the volume of "
                + data.sizeBytes() + " bytes or not block aligned");
        }
        byte[] digests;
        try {
            digests = blockDigests(data, digest, offset, length);
        } catch (IOException failure) {
            digests = new byte[0];
        }
        if (digests.length > SyncMessage.MAX_DIGEST_BYTES) {
            throw new IllegalArgumentException("verify request " + length + " bytes is too large for " + digest);
        }
        return new SyncMessage(SyncMessage.Kind.VERIFY_REPLY, request.volume(), offset, length, request.id(),
            digests);
    }

    /** One digest per 4 KiB block of the range, concatenated. */
    static byte[] blockDigests(Volume data, BlockDigest digest, long offset, int length) throws IOException {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        try {
            data.read(buffer, offset, length);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int at = 0; at < length; at += (int) DirtyBitmap.BLOCK_BYTES) {
                int size = (int) Math.min(DirtyBitmap.BLOCK_BYTES, length - at);
                out.writeBytes(digest.digest(buffer.slice(at, size)));
            }
            return out.toByteArray();
        } finally {
            buffer.release();
        }
    }
}

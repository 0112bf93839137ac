package io.replicator.core.resync;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * The sync source's side of one volume's resync (drbd.md §7): it answers the target's requests. Each request is read
 * while the range is held against application writes ({@link RangeLock}), and the answer is queued before the range
 * is released, so on the ordered data stream it sits between the writes before and after it. With a digest in the
 * request ({@code csums-alg}) an equal block is answered "in sync" and its bits cleared here at once; otherwise the
 * bits are cleared when the target acknowledges the write. Requests outside the volume or larger than 1 MiB are a
 * protocol error.
 */
public final class ResyncSource {
    private final int volume;
    private final DirtyBitmap bits;
    private final Volume data;
    private final RangeLock lock;
    private final PeerSender peer;
    private final BlockDigest csums;
    private final SyncProgress progress;
    private final LongSupplier clock;
    private long sameCsumBytes;

    /**
     * @param bits  this node's bitmap for the target, already merged with the target's
     * @param csums {@code csums-alg}, or null when requests never carry digests
     */
    public ResyncSource(int volume, DirtyBitmap bits, Volume data, RangeLock lock, PeerSender peer, BlockDigest csums,
                        LongSupplier clock) {
        this.volume = volume;
        this.bits = bits;
        this.data = data;
        this.lock = lock;
        this.peer = peer;
        this.csums = csums;
        this.clock = clock;
        this.progress = new SyncProgress(bits.cardinality() * DirtyBitmap.BLOCK_BYTES, clock.getAsLong());
    }

    /** Progress for status: bytes acknowledged by the target. */
    public SyncProgress progress() {
        return progress;
    }

    /** Bytes the checksums found equal. */
    public synchronized long sameCsumBytes() {
        return sameCsumBytes;
    }

    /**
     * Answers a {@link SyncMessage.Kind#REQUEST} or {@link SyncMessage.Kind#CSUM_REQUEST}. On the receive thread.
     *
     * @throws IllegalArgumentException if the request is malformed (the caller drops the connection)
     * @throws InterruptedException     if interrupted while waiting for application writes
     */
    public void onRequest(SyncMessage request) throws InterruptedException {
        long offset = request.offset();
        int length = request.length();
        if (length <= 0 || length > PacedRequester.MAX_REQUEST_BYTES || offset % DirtyBitmap.BLOCK_BYTES != 0
            || offset + length > data.sizeBytes()) {
            throw new IllegalArgumentException("resync request " + offset + "+" + length + " outside the volume of "
                + data.sizeBytes() + " bytes or not block aligned");
        }
        boolean withDigest = request.kind() == SyncMessage.Kind.CSUM_REQUEST;
        if (withDigest && csums == null) {
            throw new IllegalArgumentException("checksum resync request, but csums-alg is not set here");
        }
        lock.lock(volume, offset, length);
        try {
            ByteBuf block = PooledByteBufAllocator.DEFAULT.directBuffer(length);
            try {
                data.read(block, offset, length);
            } catch (IOException failure) {
                block.release();
                peer.sendSync(SyncMessage.of(SyncMessage.Kind.NEG_REPLY, volume, offset, length, request.id()));
                return;
            }
            if (withDigest && request.digestEquals(csums.digest(block))) {
                block.release();
                bits.clearRange(DirtyBitmap.blockOf(offset), DirtyBitmap.blocksFor(offset + length));
                synchronized (this) {
                    sameCsumBytes += length;
                }
                progress.done(length, clock.getAsLong());
                peer.sendSync(SyncMessage.of(SyncMessage.Kind.IN_SYNC, volume, offset, length, request.id()));
                return;
            }
            peer.sendResyncData(volume, offset, request.id(), block);
        } finally {
            lock.unlock(volume, offset, length);
        }
    }

    /** The target acknowledged written resync data: the blocks are in sync. Any thread; never blocks. */
    public void onWriteAck(SyncMessage ack) {
        if (ack.offset() + ack.length() > data.sizeBytes()) {
            return;
        }
        bits.clearRange(DirtyBitmap.blockOf(ack.offset()), DirtyBitmap.blocksFor(ack.offset() + ack.length()));
        progress.done(ack.length(), clock.getAsLong());
    }
}

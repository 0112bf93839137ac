package io.replicator.core.resource;

import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.volume.ForwardingVolume;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The data area as a sync target writes resync data into it: every block the resync changes is also marked out of
 * sync toward the peers in {@code otherSlots}.
 *
 * <p>Why: a resync changes this node's data to the source's. A third node this node is connected to (or will meet
 * again) had this node's old data in those blocks, as far as the bitmaps know; unmarked, the two would stay
 * Established, or meet again with equal generations, over copies that differ. DRBD 9 does the same (resync writes
 * set the bits of the peers they did not come from).
 *
 * <p>Only blocks whose content changes are marked: the block here is read and compared first (unless every slot has
 * it marked already), and an answer equal to what is here is not written at all. Marking every block a resync
 * touched would make each reconciliation resync mark the next pair, round a ring of three nodes for ever.
 */
final class ResyncDataVolume extends ForwardingVolume {
    private final AttachedDisk disk;
    private final int[] otherSlots;

    /** @param otherSlots the bitmap slots of every peer but the source */
    ResyncDataVolume(AttachedDisk disk, int[] otherSlots) {
        super(disk.data());
        this.disk = disk;
        this.otherSlots = otherSlots.clone();
    }

    @Override
    public void write(ByteBuffer src, long offsetBytes) throws IOException {
        int length = src.remaining();
        if (!anyUnmarked(offsetBytes, length)) {
            delegate.write(src, offsetBytes);
            return;
        }
        ByteBuffer here = ByteBuffer.allocate(length);
        delegate.read(here, offsetBytes);
        here.flip();
        boolean changed = false;
        int block = (int) DirtyBitmap.BLOCK_BYTES;
        for (int at = 0; at < length; at += block) {
            int size = Math.min(block, length - at);
            if (!here.slice(at, size).equals(src.slice(src.position() + at, size))) {
                changed = true;
                // Marked before the write: a crash between the two leaves a bit too many, never one too few.
                for (int slot : otherSlots) {
                    disk.markOutOfSync(slot, offsetBytes + at, size);
                }
            }
        }
        if (changed) {
            delegate.write(src, offsetBytes);
        } else {
            src.position(src.limit());
        }
    }

    private boolean anyUnmarked(long offsetBytes, int length) {
        long first = DirtyBitmap.blockOf(offsetBytes);
        long end = DirtyBitmap.blocksFor(offsetBytes + length);
        for (int slot : otherSlots) {
            DirtyBitmap bits = disk.bitmaps().bitmap(slot);
            long clear = bits.nextClearBit(first);
            if (clear >= 0 && clear < end) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void discard(long offsetBytes, long lengthBytes) throws IOException {
        for (int slot : otherSlots) {
            disk.markOutOfSync(slot, offsetBytes, lengthBytes);
        }
        delegate.discard(offsetBytes, lengthBytes);
    }

    /** Not closed here: the data area belongs to the attached disk. */
    @Override
    public void close() {
    }
}

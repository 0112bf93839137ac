package io.replicator.core.metadata;

import io.replicator.core.volume.Volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads and writes the two superblock copies of one volume's metadata, crash-safely.
 *
 * <p>Invariant: copy A holds odd sequences and copy B even ones, so every write goes to the copy that does not
 * hold the current superblock. A write is complete once flushed; a crash while writing tears at most the copy being
 * written, whose CRC then fails, and {@link #open} falls back to the other copy, one update older. An update is
 * therefore either wholly visible after a crash or not at all.
 *
 * <p>{@link #writeUnflushed} adds an update that is not flushed: it goes to the copy the next {@link #write} would
 * use, and until that write (or a flush of the volume by someone else, {@link #flushedSince}) it is rewritten in
 * place, so the copy holding the current (durable) superblock is never touched by a write that is not flushed. After
 * a crash it is there or it is not.
 *
 * <p>Thread-safe: the resource's owner thread writes; I/O threads add unflushed updates.
 */
public final class MetadataStore {
    private final Volume volume;
    private final long copyAOffsetBytes;
    private Superblock current;
    /** The last {@link #writeUnflushed} since the last flushed write, if any; and how many there were in all. */
    private Superblock unflushed;
    private long unflushedWrites;

    private MetadataStore(Volume volume, long copyAOffsetBytes, Superblock current) {
        this.volume = volume;
        this.copyAOffsetBytes = copyAOffsetBytes;
        this.current = current;
    }

    /**
     * Writes fresh metadata: copy B is wiped first, then {@code initial} goes to copy A with sequence 1. A crash in
     * between leaves no valid superblock at all, so a half-done create-md is never mistaken for metadata.
     */
    public static MetadataStore format(Volume volume, long copyAOffsetBytes, Superblock initial) throws IOException {
        volume.write(ByteBuffer.allocate(SuperblockDescriptor.SUPERBLOCK_BYTES), copyBOffset(copyAOffsetBytes));
        volume.write(ByteBuffer.allocate(SuperblockDescriptor.SUPERBLOCK_BYTES), copyAOffsetBytes);
        volume.flush();
        Superblock first = initial.withSequence(1);
        volume.write(SuperblockDescriptor.encode(first), copyAOffsetBytes);
        volume.flush();
        return new MetadataStore(volume, copyAOffsetBytes, first);
    }

    /** Reads both copies and keeps the valid one with the larger sequence; empty when neither is valid. */
    public static Optional<MetadataStore> open(Volume volume, long copyAOffsetBytes) throws IOException {
        Optional<Superblock> a = read(volume, copyAOffsetBytes);
        Optional<Superblock> b = read(volume, copyBOffset(copyAOffsetBytes));
        Optional<Superblock> newest;
        if (a.isPresent() && b.isPresent()) {
            newest = a.get().sequence() >= b.get().sequence() ? a : b;
        } else {
            newest = a.isPresent() ? a : b;
        }
        return newest.map(superblock -> new MetadataStore(volume, copyAOffsetBytes, superblock));
    }

    /** Whether {@code volume} holds a valid superblock at {@code copyAOffsetBytes}. */
    public static boolean exists(Volume volume, long copyAOffsetBytes) throws IOException {
        return read(volume, copyAOffsetBytes).isPresent() || read(volume, copyBOffset(copyAOffsetBytes)).isPresent();
    }

    /** The superblock as last written (flushed) or read. */
    public synchronized Superblock current() {
        return current;
    }

    /**
     * Writes {@code change} applied to the current superblock, without flushing and without making it current: it
     * becomes durable with the volume's next flush, if any comes before a crash. For advisory fields only (a later
     * {@link #write} starts from {@link #current()} again and drops it). Sequence current + 1, in the copy that does
     * not hold the current superblock.
     */
    public synchronized void writeUnflushed(UnaryOperator<Superblock> change) throws IOException {
        long sequence = current.sequence() + 1;
        Superblock stamped = change.apply(current).withSequence(sequence);
        long offset = (sequence & 1) == 1 ? copyAOffsetBytes : copyBOffset(copyAOffsetBytes);
        volume.write(SuperblockDescriptor.encode(stamped), offset);
        unflushed = stamped;
        unflushedWrites++;
    }

    /** How many {@link #writeUnflushed} calls so far: taken before a flush of the volume, for {@link #flushedSince}. */
    public synchronized long unflushedWrites() {
        return unflushedWrites;
    }

    /**
     * The volume was flushed, the flush starting after {@code count} unflushed writes: if no other came since, the
     * last one is durable now and becomes current — the next unflushed write goes to the other copy, and never tears
     * this one.
     */
    public synchronized void flushedSince(long count) {
        if (unflushed != null && unflushedWrites == count) {
            current = unflushed;
            unflushed = null;
        }
    }

    /**
     * Writes {@code next} (its sequence is assigned here) to the copy not holding the current one and flushes.
     * On return the update is durable; if it throws, the on-disk state is the old or the new superblock.
     */
    public synchronized Superblock write(Superblock next) throws IOException {
        long sequence = current.sequence() + 1;
        Superblock stamped = next.withSequence(sequence);
        long offset = (sequence & 1) == 1 ? copyAOffsetBytes : copyBOffset(copyAOffsetBytes);
        volume.write(SuperblockDescriptor.encode(stamped), offset);
        volume.flush();
        current = stamped;
        unflushed = null;
        return stamped;
    }

    private static Optional<Superblock> read(Volume volume, long offsetBytes) throws IOException {
        if (offsetBytes < 0 || offsetBytes + SuperblockDescriptor.SUPERBLOCK_BYTES > volume.sizeBytes()) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.allocate(SuperblockDescriptor.SUPERBLOCK_BYTES);
        volume.read(buffer, offsetBytes);
        return SuperblockDescriptor.decode(buffer.flip());
    }

    private static long copyBOffset(long copyAOffsetBytes) {
        return copyAOffsetBytes + SuperblockDescriptor.SUPERBLOCK_BYTES;
    }
}

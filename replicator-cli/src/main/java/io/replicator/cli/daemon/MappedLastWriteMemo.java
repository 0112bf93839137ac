package io.replicator.cli.daemon;

import io.replicator.core.generation.LastWrite;
import io.replicator.core.resource.LastWriteMemo;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A {@link LastWriteMemo} in a small file of the run folder, mapped into memory: recording is a few stores into the
 * mapped page, no system call, and the kernel keeps the page when the process dies (as it keeps the data's unflushed
 * writes). It is never flushed: after a machine crash it is not read (the node then restarted uncleanly in another
 * boot, {@link io.replicator.core.disk.AttachedDisk#processCrashed}).
 *
 * <h2>Layout</h2>
 * Two 32-byte slots, written in turn, little-endian: {@code u64 sequence, i32 node + 1, i32 0, u64 write id,
 * u32 CRC32C of the first 24 bytes, u32 0}. A process killed in the middle of a record leaves that slot with a bad
 * CRC, and the other — one write older — is read. That older value is safe: the write it misses was not acknowledged
 * yet (recording precedes the acknowledgement).
 *
 * <p>Threads: {@link #record} and {@link #recall} are synchronized (one peer's receive thread records; the owner
 * records when a resync starts, and recalls at attach).
 */
public final class MappedLastWriteMemo implements LastWriteMemo {
    private static final int SLOT = 32;
    private final MappedByteBuffer page;
    private long sequence;

    private MappedLastWriteMemo(MappedByteBuffer page) {
        this.page = page;
        page.order(ByteOrder.LITTLE_ENDIAN);
        this.sequence = Math.max(sequenceAt(0), sequenceAt(SLOT));
    }

    /** The memo in {@code file}, created if absent. */
    public static MappedLastWriteMemo open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return new MappedLastWriteMemo(channel.map(FileChannel.MapMode.READ_WRITE, 0, 2 * SLOT));
        }
    }

    @Override
    public synchronized void record(LastWrite last) {
        sequence++;
        int at = (int) (sequence & 1) * SLOT;
        page.putLong(at, sequence);
        page.putInt(at + 8, last.node() + 1);
        page.putInt(at + 12, 0);
        page.putLong(at + 16, last.id());
        page.putInt(at + 24, crc(at));
    }

    @Override
    public synchronized LastWrite recall() {
        int newest = -1;
        for (int at = 0; at <= SLOT; at += SLOT) {
            if (valid(at) && (newest < 0 || page.getLong(at) > page.getLong(newest))) {
                newest = at;
            }
        }
        if (newest < 0 || page.getInt(newest + 8) <= 0) {
            return LastWrite.NONE;
        }
        return new LastWrite(page.getInt(newest + 8) - 1, page.getLong(newest + 16));
    }

    private long sequenceAt(int at) {
        return valid(at) ? page.getLong(at) : 0;
    }

    private boolean valid(int at) {
        return page.getLong(at) > 0 && page.getInt(at + 24) == crc(at);
    }

    private int crc(int at) {
        CRC32C crc = new CRC32C();
        crc.update(page.slice(at, 24));
        return (int) crc.getValue();
    }
}

package io.replicator.core.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A volume kept in a regular file whose length is exactly {@link #sizeBytes()}.
 *
 * <p>{@link #create} makes the file sparse: only one byte at the end is written, so untouched areas are holes that
 * read back as zeros. The length is fixed for the life of the volume; if the file shrinks underneath an open volume,
 * reads fail with {@link java.io.EOFException} instead of inventing zeros.
 *
 * <p>{@link #discard} writes zeros (from one shared direct buffer, in pieces of up to 1 MiB). Java has no API to punch
 * a hole ({@code fallocate(FALLOC_FL_PUNCH_HOLE)}), so a discarded range keeps its disk space.
 *
 * <p>With {@link Durability#FORCE}, {@link #flush()} is {@code fdatasync}; with {@link Durability#DSYNC} the file is
 * opened {@code O_DSYNC}, every write is durable on return and {@link #flush()} does nothing but check that the volume
 * is open. After {@link #close()} every call except {@code close} throws
 * {@link java.nio.channels.ClosedChannelException}.
 */
public final class FileVolume extends ChannelVolume {
    private FileVolume(Path path, PositionalChannel io) {
        super(path, io);
    }

    /**
     * Creates the file, or extends a shorter existing one (keeping its contents), to exactly {@code sizeBytes}.
     * Refuses a file that is already longer rather than truncate data away.
     */
    public static FileVolume create(Path path, long sizeBytes, Durability durability) throws IOException {
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("a volume needs a positive size, not " + sizeBytes + " bytes");
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new IOException(path + " exists and is not a regular file");
        }
        FileChannel channel = FileChannel.open(path,
            openOptions(durability, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
        try {
            long currentBytes = channel.size();
            if (currentBytes > sizeBytes) {
                throw new IOException(path + " already holds " + currentBytes + " bytes, more than the requested "
                    + sizeBytes + "; refusing to truncate it");
            }
            if (currentBytes < sizeBytes) {
                // One zero byte at the end sets the length and leaves everything before it a hole.
                PositionalChannel.writeFully(channel, ByteBuffer.allocate(1), sizeBytes - 1);
            }
            // The length is metadata, which flush() (fdatasync) does not cover: make it durable once, here.
            channel.force(true);
            forceDirectoryOf(path);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new FileVolume(path, new PositionalChannel(channel, sizeBytes, durability, path.toString()));
    }

    /** Opens an existing, non-empty regular file; the volume's size is the file's length. */
    public static FileVolume open(Path path, Durability durability) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + " is not a regular file"
                + (Files.exists(path) ? "; open block devices with BlockDeviceVolume" : ": it does not exist"));
        }
        FileChannel channel = FileChannel.open(path,
            openOptions(durability, StandardOpenOption.READ, StandardOpenOption.WRITE));
        try {
            long sizeBytes = channel.size();
            if (sizeBytes == 0) {
                throw new IOException(path + " is empty; FileVolume.create gives it a size");
            }
            return new FileVolume(path, new PositionalChannel(channel, sizeBytes, durability, path.toString()));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The options to open a backing store with, adding {@code DSYNC} when durability asks for it. */
    static OpenOption[] openOptions(Durability durability, OpenOption... options) {
        List<OpenOption> all = new ArrayList<>(List.of(options));
        if (durability == Durability.DSYNC) {
            all.add(StandardOpenOption.DSYNC);
        }
        return all.toArray(new OpenOption[0]);
    }

    /** Makes a new directory entry durable: fsync of the file alone does not cover its name (Linux semantics). */
    private static void forceDirectoryOf(Path path) throws IOException {
        Path directory = path.toAbsolutePath().getParent();
        if (directory != null) {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }
}

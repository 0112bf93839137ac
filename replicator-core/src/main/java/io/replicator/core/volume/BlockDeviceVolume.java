package io.replicator.core.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A volume on an existing block device such as {@code /dev/sdb1} or {@code /dev/loop0}. It never creates, truncates
 * or resizes anything: the size is the device's.
 *
 * <p>Size: on Linux with OpenJDK 17 (checked on 17.0.15 with a loop device) {@link FileChannel#size()} returns the
 * device's true size, while {@link Files#size} and {@code BasicFileAttributes.size()} return 0 because they report
 * {@code stat.st_size}. Some JDKs are reported to return 0 from {@code FileChannel.size()} as well, so a zero there
 * falls back to {@code /sys/class/block/<name>/size}, which the kernel always counts in 512-byte sectors.
 *
 * <p>{@link #discard} writes zeros, like {@link FileVolume}: {@code BLKDISCARD} / {@code BLKZEROOUT} are ioctls that
 * Java cannot issue. Durability and closing behave as in {@link FileVolume}.
 */
public final class BlockDeviceVolume extends ChannelVolume {
    /** {@code S_IFMT} and {@code S_IFBLK} from {@code <sys/stat.h>}: the file-type bits of {@code st_mode}. */
    private static final int FILE_TYPE_MASK = 0170000;
    private static final int BLOCK_DEVICE_TYPE = 0060000;
    /** The unit of {@code /sys/class/block/<name>/size}, whatever the device's logical block size. */
    private static final int SYSFS_SECTOR_BYTES = 512;

    private BlockDeviceVolume(Path path, PositionalChannel io) {
        super(path, io);
    }

    /** Opens the block device at {@code path} for reading and writing. */
    public static BlockDeviceVolume open(Path path, Durability durability) throws IOException {
        if (!isBlockDevice(path)) {
            throw new IOException(path + " is not a block device"
                + (Files.isRegularFile(path) ? "; open regular files with FileVolume" : ""));
        }
        // No CREATE and no TRUNCATE_EXISTING: a device is used as it is.
        FileChannel channel = FileChannel.open(path,
            FileVolume.openOptions(durability, StandardOpenOption.READ, StandardOpenOption.WRITE));
        try {
            long sizeBytes = channel.size();
            if (sizeBytes == 0) {
                sizeBytes = sysfsSizeBytes(path);
            }
            if (sizeBytes <= 0) {
                throw new IOException(path + " reports a size of " + sizeBytes + " bytes (no medium?)");
            }
            return new BlockDeviceVolume(path, new PositionalChannel(channel, sizeBytes, durability, path.toString()));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether {@code path} (following symbolic links) is a block device. */
    public static boolean isBlockDevice(Path path) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return (mode & FILE_TYPE_MASK) == BLOCK_DEVICE_TYPE;
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot tell whether " + path + " is a block device on this platform", e);
        }
    }

    /** The device size as the kernel publishes it in sysfs; {@code /dev/disk/by-*} links are resolved first. */
    static long sysfsSizeBytes(Path device) throws IOException {
        Path name = device.toRealPath().getFileName();
        if (name == null) {
            throw new IOException("cannot name the device behind " + device);
        }
        Path sizeFile = Path.of("/sys/class/block").resolve(name).resolve("size");
        String sectors = Files.readString(sizeFile, StandardCharsets.US_ASCII).trim();
        try {
            return Math.multiplyExact(Long.parseLong(sectors), SYSFS_SECTOR_BYTES);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IOException(sizeFile + " holds '" + sectors + "', not a sector count", e);
        }
    }
}

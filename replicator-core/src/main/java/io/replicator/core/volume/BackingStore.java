package io.replicator.core.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one way in to an existing backing store: picks {@link BlockDeviceVolume} or {@link FileVolume} by path. */
public final class BackingStore {
    private BackingStore() {
    }

    /**
     * Opens the existing block device or regular file at {@code path}. Nothing is created: a new file-backed store
     * is made with {@link FileVolume#create}.
     */
    public static Volume open(Path path, Durability durability) throws IOException {
        if (BlockDeviceVolume.isBlockDevice(path)) {
            return BlockDeviceVolume.open(path, durability);
        }
        if (Files.isRegularFile(path)) {
            return FileVolume.open(path, durability);
        }
        throw new IOException(path + (Files.exists(path)
            ? " is neither a block device nor a regular file"
            : " does not exist; create a file-backed store with FileVolume.create"));
    }
}

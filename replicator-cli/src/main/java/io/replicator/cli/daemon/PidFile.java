package io.replicator.cli.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;

/**
 * The process id of a running node daemon in {@code RUN/NODE.pid}, for whoever must stop it the hard way (a crash
 * test's {@code kill -9}, a supervisor) without searching process lists.
 *
 * <p>Invariants: the file is written (atomically, by rename) before the daemon binds its control socket, so anyone
 * who sees the socket answer also finds the file. A clean stop removes it only while it still names this process, so
 * a stopping daemon never removes the file of a newer daemon of the same node. After a crash the file stays behind,
 * stale: readers must check that the process lives and is a daemon before they act on it.
 */
public final class PidFile implements AutoCloseable {
    private final Path path;
    private final long pid;

    private PidFile(Path path, long pid) {
        this.path = path;
        this.pid = pid;
    }

    /** Records this process in {@code path}, replacing a stale file; creates the folder (mode 0700) if missing. */
    public static PidFile write(Path path) throws IOException {
        Path folder = path.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            Files.createDirectories(folder,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        long pid = ProcessHandle.current().pid();
        Path temporary = path.resolveSibling(path.getFileName() + "." + pid + ".tmp");
        Files.writeString(temporary, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new PidFile(path, pid);
    }

    /** The pid recorded in {@code path}; empty when there is no file or it does not hold a number. */
    public static OptionalLong read(Path path) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException missingOrTorn) {
            return OptionalLong.empty();
        }
    }

    /** Removes the file if it still names this process. Idempotent; never throws. */
    @Override
    public void close() {
        if (read(path).equals(OptionalLong.of(pid))) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // A leftover file is stale, and readers already treat stale files as such.
            }
        }
    }
}

package io.replicator.cli.command.demo;

import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's scratch folder: a new temporary folder, or the folder given with {@code --dir}, which must be empty or
 * not exist yet (the demo never mixes its files with others). {@link #remove} deletes what the demo put there, and
 * the folder too when the demo made it.
 */
final class ScratchFolder {
    /** Longest Unix socket path Linux accepts (sun_path is 108 bytes with its terminating zero). */
    private static final int MAX_SOCKET_PATH = 107;
    /** The configuration language needs no quoting for such paths, and the daemons' command lines stay plain. */
    private static final String PLAIN_PATH = "[A-Za-z0-9_./+-]+";

    private final Path folder;
    private final boolean made;

    private ScratchFolder(Path folder, boolean made) {
        this.folder = folder;
        this.made = made;
    }

    /** A new temporary folder when {@code requested} is null, else {@code requested} once checked. */
    static ScratchFolder prepare(Path requested) throws IOException {
        if (requested == null) {
            return checked(new ScratchFolder(Files.createTempDirectory("replicator-demo-").toRealPath(), true));
        }
        Path folder = requested.toAbsolutePath().normalize();
        boolean exists = Files.exists(folder);
        if (exists && !Files.isDirectory(folder)) {
            throw new CommandFailure(ExitCode.FAILURE, "demo: --dir " + folder + " is not a folder");
        }
        if (exists) {
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw new CommandFailure(ExitCode.FAILURE, "demo: --dir " + folder + " is not empty; give an "
                        + "empty or new folder (the demo deletes what it puts there unless --keep)");
                }
            }
        }
        ScratchFolder scratch = checked(new ScratchFolder(folder, !exists));
        Files.createDirectories(folder);
        return scratch;
    }

    private static ScratchFolder checked(ScratchFolder scratch) {
        String text = scratch.folder.toString();
        if (!text.matches(PLAIN_PATH)) {
            throw new CommandFailure(ExitCode.FAILURE, "demo: the scratch folder " + text + " has characters the "
                + "configuration would have to quote; choose another with --dir");
        }
        Path socket = scratch.runFolder().resolve("bravo.sock");
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new CommandFailure(ExitCode.FAILURE, "demo: the scratch folder " + text + " is too deep for a "
                + "Unix socket path (" + socket + "); choose a shorter one with --dir");
        }
        return scratch;
    }

    Path folder() {
        return folder;
    }

    /** Where the daemons keep their sockets, pid files and logs. */
    Path runFolder() {
        return folder.resolve("run");
    }

    /** Deletes everything under the folder, and the folder if the demo made it; returns what could not be deleted. */
    List<Path> remove() {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> tree = Files.walk(folder)) {
            return tree.sorted(Comparator.reverseOrder())
                .filter(path -> made || !path.equals(folder))
                .filter(path -> !delete(path))
                .toList();
        } catch (IOException failure) {
            return List.of(folder);
        }
    }

    private static boolean delete(Path path) {
        try {
            Files.deleteIfExists(path);
            return true;
        } catch (IOException failure) {
            return false;
        }
    }
}

package io.replicator.cli.daemon;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where node daemons keep their control sockets and logs: the system property {@value #PROPERTY} or else
 * {@code $REPLICATOR_RUN_DIR} when set; otherwise {@code /run/replicator} for root, and
 * {@code $XDG_RUNTIME_DIR/replicator} (or {@code /tmp/replicator-USER}) for others. One daemon per node name:
 * {@code NODE.sock}, {@code NODE.log} and {@code NODE.pid} (see {@link PidFile}).
 */
public final class RunDirectory {
    /** The environment variable that overrides the folder. */
    public static final String ENV = "REPLICATOR_RUN_DIR";
    /**
     * The system property that overrides the folder for this JVM, before {@link #ENV}: a program that runs commands
     * in-process, such as {@code demo}, points them at a folder of its own (a process cannot change its environment).
     */
    public static final String PROPERTY = "replicator.run.dir";

    private final Path folder;

    private RunDirectory(Path folder) {
        this.folder = folder;
    }

    /** The folder this process should use. */
    public static RunDirectory resolve() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return new RunDirectory(Path.of(property));
        }
        String explicit = System.getenv(ENV);
        if (explicit != null && !explicit.isBlank()) {
            return new RunDirectory(Path.of(explicit));
        }
        String user = System.getProperty("user.name", "user");
        if (user.equals("root") && Files.isDirectory(Path.of("/run"))) {
            return new RunDirectory(Path.of("/run/replicator"));
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            return new RunDirectory(Path.of(runtime, "replicator"));
        }
        return new RunDirectory(Path.of(System.getProperty("java.io.tmpdir"), "replicator-" + user));
    }

    /** The folder. */
    public Path folder() {
        return folder;
    }

    /** The control socket of {@code node}'s daemon. */
    public Path socket(String node) {
        return folder.resolve(node + ".sock");
    }

    /** The log of {@code node}'s daemon when it was started in the background. */
    public Path log(String node) {
        return folder.resolve(node + ".log");
    }

    /** The pid file of {@code node}'s running daemon. */
    public Path pidFile(String node) {
        return folder.resolve(node + ".pid");
    }
}

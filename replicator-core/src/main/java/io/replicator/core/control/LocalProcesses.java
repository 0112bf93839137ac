package io.replicator.core.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Watching and stopping local daemon processes (the demo's and the test cluster's), on Linux's procfs. */
public final class LocalProcesses {
    private static final long POLL_MS = 20;

    private LocalProcesses() {
    }

    /**
     * Whether {@code process} still runs: alive, and not a zombie. A daemon outlives the CLI that started it, so its
     * parent is init, which reaps it some time after it exits; {@link ProcessHandle#isAlive()} counts the zombie as
     * alive until then, although it holds nothing but its pid.
     */
    public static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            // "PID (COMMAND) STATE ...": the command may hold spaces and parentheses, the state follows the last ')'.
            int end = text.lastIndexOf(')');
            char state = end >= 0 && end + 2 < text.length() ? text.charAt(end + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException unreadable) {
            // Without procfs, trust isAlive; with it, a missing entry means the process is gone.
            return !Files.isDirectory(Path.of("/proc/self")) && process.isAlive();
        }
    }

    /** Whether {@code process} has ended within {@code timeout} (see {@link #running}). */
    public static boolean awaitExit(ProcessHandle process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running(process)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MS);
        }
        return true;
    }

    /**
     * Whether {@code process} is a running node daemon of {@code absoluteConfig}: its command line ends in
     * {@code -c CONFIG ... --node NODE ... daemon}, for {@code node} if given, else for any node.
     */
    public static boolean isNodeDaemon(ProcessHandle process, String absoluteConfig, Optional<String> node) {
        if (!running(process)) {
            return false;
        }
        List<String> args = process.info().arguments().map(List::of).orElse(List.of());
        int configAt = args.indexOf(absoluteConfig);
        int nodeAt = args.indexOf("--node");
        return configAt > 0 && args.get(configAt - 1).equals("-c") && nodeAt >= 0 && nodeAt + 1 < args.size()
            && node.map(args.get(nodeAt + 1)::equals).orElse(true) && args.get(args.size() - 1).equals("daemon");
    }

    /**
     * Sends SIGKILL ({@link ProcessHandle#destroyForcibly()} on Linux) and waits until the process is gone.
     *
     * @return whether the process is gone within {@code timeout}
     */
    public static boolean kill(ProcessHandle process, Duration timeout) throws InterruptedException {
        process.destroyForcibly();
        return awaitExit(process, timeout);
    }
}

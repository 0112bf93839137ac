package io.replicator.cli.command.demo;

import io.replicator.core.control.LocalProcesses;
import io.replicator.cli.daemon.PidFile;
import io.replicator.cli.daemon.RunDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's node daemons. {@code up} starts each as {@code java ... -c CONFIG --node NODE daemon}, and the demo's
 * configuration file is its own, so a process with that command line is one of the demo's daemons and nothing else.
 * The pid file in the run folder is the fast way to one; because a pid can be reused after a crash, it counts only
 * when the command line matches.
 */
final class DemoDaemons {

    private final String config;
    private final RunDirectory run;

    DemoDaemons(Path config, RunDirectory run) {
        this.config = config.toAbsolutePath().toString();
        this.run = run;
    }

    /** The running daemon of {@code node}, if any. */
    Optional<ProcessHandle> find(String node) {
        Optional<ProcessHandle> recorded = PidFile.read(run.pidFile(node)).stream().boxed()
            .flatMap(pid -> ProcessHandle.of(pid).stream())
            .filter(process -> isDaemon(process, Optional.of(node)))
            .findFirst();
        return recorded.isPresent() ? recorded
            : ProcessHandle.allProcesses().filter(process -> isDaemon(process, Optional.of(node))).findFirst();
    }

    /** Every running daemon of the demo. */
    List<ProcessHandle> all() {
        return ProcessHandle.allProcesses().filter(process -> isDaemon(process, Optional.empty())).toList();
    }

    /**
     * SIGKILL to {@code node}'s daemon ({@link ProcessHandle#destroyForcibly()} on Linux), as a crash: no clean
     * detach, the activity log stays dirty. Returns its pid once the process is gone.
     *
     * @throws IllegalStateException when no daemon of {@code node} runs, or it survives {@code timeout}
     */
    long kill9(String node, Duration timeout) throws InterruptedException {
        ProcessHandle daemon = find(node).orElseThrow(() ->
            new IllegalStateException("no daemon of " + node + " runs; its log is " + run.log(node)));
        if (!LocalProcesses.kill(daemon, timeout)) {
            throw new IllegalStateException("the daemon of " + node + " (pid " + daemon.pid() + ") survived SIGKILL "
                + "for " + timeout.toSeconds() + " s");
        }
        return daemon.pid();
    }

    /**
     * Stops every daemon of the demo: SIGTERM (a daemon detaches cleanly on it), SIGKILL for what still runs after
     * {@code grace}. Returns the daemons that were running, and still are after another {@code grace}.
     */
    List<ProcessHandle> stopAll(Duration grace) throws InterruptedException {
        List<ProcessHandle> daemons = all();
        daemons.forEach(ProcessHandle::destroy);
        List<ProcessHandle> stubborn = new ArrayList<>();
        for (ProcessHandle daemon : daemons) {
            if (!LocalProcesses.awaitExit(daemon, grace)) {
                daemon.destroyForcibly();
                stubborn.add(daemon);
            }
        }
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle daemon : stubborn) {
            if (!LocalProcesses.awaitExit(daemon, grace)) {
                left.add(daemon);
            }
        }
        return left;
    }

    /** Whether {@code process} runs {@code ... -c CONFIG --node NODE daemon} with this demo's CONFIG. */
    private boolean isDaemon(ProcessHandle process, Optional<String> node) {
        return LocalProcesses.isNodeDaemon(process, config, node);
    }
}

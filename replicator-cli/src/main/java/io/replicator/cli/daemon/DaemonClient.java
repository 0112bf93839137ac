package io.replicator.cli.daemon;

import io.replicator.cli.GlobalOptions;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.core.control.ControlClient;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Sends a command to this node's daemon and relays its answer. */
public final class DaemonClient {
    private DaemonClient() {
    }

    /**
     * Runs {@code argv} in the daemon of {@code global}'s node and returns its exit status.
     *
     * @throws CommandFailure with {@link ExitCode#NO_DAEMON} when no daemon answers
     */
    public static int forward(GlobalOptions global, List<String> argv, PrintWriter out, PrintWriter err) {
        String node = global.nodeName();
        Path socket = RunDirectory.resolve().socket(node);
        try {
            return ControlClient.call(socket, argv, out, err);
        } catch (IOException unreachable) {
            throw new CommandFailure(ExitCode.NO_DAEMON, "the daemon of node " + node + " could not be reached at "
                + socket + " (" + unreachable.getMessage() + "); start it with 'replicator up RESOURCE' or "
                + "'replicator --node " + node + " daemon'");
        }
    }

    /** {@code verb resource} followed by the given flags, leaving out nulls: the argv of a forwarded command. */
    public static List<String> argv(String verb, String resource, String... flags) {
        List<String> argv = new ArrayList<>();
        argv.add(verb);
        if (resource != null) {
            argv.add(resource);
        }
        for (String flag : flags) {
            if (flag != null) {
                argv.add(flag);
            }
        }
        return argv;
    }
}

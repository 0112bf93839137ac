package io.replicator.net.control;

import java.io.PrintWriter;
import java.util.List;

/** Executes one control request inside the daemon. */
@FunctionalInterface
public interface ControlHandler {
    /**
     * Runs {@code argv}, writing what the CLI should print to {@code out} and {@code err}.
     *
     * @param connection lets a streaming command see whether the client is still there
     * @return the exit status for the CLI
     */
    int handle(List<String> argv, PrintWriter out, PrintWriter err, ControlConnection connection) throws Exception;
}

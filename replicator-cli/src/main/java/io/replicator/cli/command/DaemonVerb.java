package io.replicator.cli.command;

import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.daemon.DaemonClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * A command that the node daemon carries out: the CLI checks the arguments, sends them over the control socket and
 * ends with the daemon's exit status.
 */
public abstract class DaemonVerb implements Callable<Integer> {
    @ParentCommand
    protected ReplicatorCommand root;

    @Spec
    protected CommandSpec spec;

    @Mixin
    HelpOption help;

    /** The arguments to send: the verb, then its resource and flags. */
    protected abstract List<String> argv();

    /** Runs before forwarding; {@code up} starts the daemon here. */
    protected void beforeForward() {
    }

    @Override
    public final Integer call() {
        beforeForward();
        return DaemonClient.forward(root.global(), argv(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** {@code --flag} when {@code set}, else null (left out). */
    protected static String flag(boolean set, String name) {
        return set ? name : null;
    }
}

package io.replicator.cli.command.resync;

import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.daemon.DaemonClient;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.cli.output.StatusJsonReader;
import io.replicator.cli.output.SyncProgress;
import io.replicator.cli.output.SyncProgress.Goal;
import io.replicator.core.state.ResourceStatus;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A command that waits on the client side: it polls {@code status --json} from the node daemon until its
 * {@link Goal} is reached, showing progress, or until {@code --timeout}.
 */
abstract class WaitVerb implements Callable<Integer> {
    static final long POLL_INTERVAL_MS = 500;
    static final long PLAIN_EVERY_MS = 5_000;
    private static final int DEFAULT_COLUMNS = 80;

    @ParentCommand
    ReplicatorCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(paramLabel = "RESOURCE", description = "The resource, or 'all'.")
    String resource;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
        description = "Give up after this many seconds with exit status 1 (default 0: wait for ever).")
    long timeoutSeconds;

    @Option(names = "--progress", description = "Draw progress bars even when standard output is not a terminal.")
    boolean progress;

    /** What this command waits for. */
    abstract Goal goal();

    @Override
    public final Integer call() throws InterruptedException {
        if (timeoutSeconds < 0) {
            throw new ParameterException(spec.commandLine(),
                "--timeout: " + timeoutSeconds + " is negative; give seconds, or 0 to wait for ever");
        }
        PrintWriter out = spec.commandLine().getOut();
        ProgressDisplay display = new ProgressDisplay(goal(), out, progress || System.console() != null, columns(),
            PLAIN_EVERY_MS);
        StatusWait wait = new StatusWait(this::poll, System::currentTimeMillis, Thread::sleep, POLL_INTERVAL_MS);
        StatusWait.Outcome outcome = wait.await(goal(), timeoutSeconds * 1000, display);
        if (outcome.reached().isPresent()) {
            display.finish(SyncProgress.finished(goal(), outcome.reached().get(), outcome.elapsedMs()));
            return ExitCode.SUCCESS.status();
        }
        display.finish(List.of());
        List<String> pending = SyncProgress.lines(goal(), outcome.last(), outcome.elapsedMs());
        throw new CommandFailure(ExitCode.FAILURE, spec.name() + " " + resource + ": timed out after "
            + timeoutSeconds + " s; still waiting for:\n  " + String.join("\n  ", pending)
            + "\nWait longer with --timeout SECONDS (0 = no limit), or see 'replicator status " + resource + "'.");
    }

    private List<ResourceStatus> poll() {
        StringWriter json = new StringWriter();
        StringWriter problem = new StringWriter();
        int status = DaemonClient.forward(root.global(), DaemonClient.argv("status", resource, "--json"),
            new PrintWriter(json), new PrintWriter(problem));
        if (status != ExitCode.SUCCESS.status()) {
            throw new CommandFailure(ExitCode.forStatus(status), problem.toString().strip());
        }
        return StatusJsonReader.parse(json.toString());
    }

    /** The terminal width: {@code $COLUMNS}, else 80. */
    private static int columns() {
        try {
            String columns = System.getenv("COLUMNS");
            return columns == null ? DEFAULT_COLUMNS : Math.max(20, Integer.parseInt(columns.trim()));
        } catch (NumberFormatException notNumber) {
            return DEFAULT_COLUMNS;
        }
    }
}

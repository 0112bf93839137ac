package io.replicator.cli.output;

/** A command could not do its work; the message says what is wrong and what to do, the code is the exit status. */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public CommandFailure(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The exit status to end with. */
    public ExitCode exitCode() {
        return exitCode;
    }
}

package io.replicator.cli;

import io.replicator.cli.command.config.DumpCommand;
import io.replicator.cli.command.demo.DemoCommand;
import io.replicator.cli.command.resource.AttachCommand;
import io.replicator.cli.command.resource.ConnectCommand;
import io.replicator.cli.command.resource.DaemonCommand;
import io.replicator.cli.command.resource.DetachCommand;
import io.replicator.cli.command.resource.DisconnectCommand;
import io.replicator.cli.command.resource.DownCommand;
import io.replicator.cli.command.resource.NewCurrentUuidCommand;
import io.replicator.cli.command.resource.OutdateCommand;
import io.replicator.cli.command.role.PromoterCommand;
import io.replicator.cli.command.resource.ResumeIoCommand;
import io.replicator.cli.command.resource.SuspendIoCommand;
import io.replicator.cli.command.resource.ShutdownCommand;
import io.replicator.cli.command.resource.UpCommand;
import io.replicator.cli.command.resync.InvalidateCommand;
import io.replicator.cli.command.resync.InvalidateRemoteCommand;
import io.replicator.cli.command.resync.PauseSyncCommand;
import io.replicator.cli.command.resync.ResumeSyncCommand;
import io.replicator.cli.command.resync.VerifyCommand;
import io.replicator.cli.command.resync.WaitConnectCommand;
import io.replicator.cli.command.resync.WaitSyncCommand;
import io.replicator.cli.command.role.PrimaryCommand;
import io.replicator.cli.command.role.RoleCommand;
import io.replicator.cli.command.role.SecondaryCommand;
import io.replicator.cli.command.status.CstateCommand;
import io.replicator.cli.command.status.DstateCommand;
import io.replicator.cli.command.status.EventsCommand;
import io.replicator.cli.command.status.GetGiCommand;
import io.replicator.cli.command.status.StatusCommand;
import io.replicator.cli.command.metadata.CreateMdCommand;
import io.replicator.cli.command.metadata.DumpMdCommand;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** The replicator program: a drbdadm-shaped command line. */
@Command(name = "replicator", mixinStandardHelpOptions = true, versionProvider = ReplicatorCommand.Version.class,
    description = "A DRBD-style replicated block device in pure Java.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        " 0:success",
        " 1:anything else: usage errors, I/O errors, missing metadata",
        "10:invalid configuration",
        "11:a state change was refused, or the resource is not up on this node",
        "17:promotion refused for lack of up-to-date data",
        "20:the daemon could not be reached"},
    footerHeading = "%nFiles and environment:%n",
    footer = {
        "  " + GlobalOptions.DEFAULT_CONFIG + "  the configuration (-c FILE)",
        "  /run/replicator/NODE.sock        node NODE's daemon: its control socket, with",
        "                                   NODE.pid and NODE.log (for root; for others",
        "                                   $XDG_RUNTIME_DIR/replicator)",
        "  REPLICATOR_RUN_DIR               that folder, instead",
        "  REPLICATOR_JAVA_OPTS             JVM options of a command",
        "  REPLICATOR_DAEMON_JAVA_OPTS      JVM options of the daemon",
        "  JAVA_HOME, JAVA                  the java that bin/replicator runs"},
    subcommands = {CreateMdCommand.class, DumpMdCommand.class, DumpCommand.class, DemoCommand.class,
        DaemonCommand.class,
        UpCommand.class, DownCommand.class, AttachCommand.class, DetachCommand.class, ConnectCommand.class,
        DisconnectCommand.class, PrimaryCommand.class, SecondaryCommand.class, OutdateCommand.class,
        SuspendIoCommand.class, ResumeIoCommand.class, PromoterCommand.class,
        NewCurrentUuidCommand.class, InvalidateCommand.class, InvalidateRemoteCommand.class, VerifyCommand.class,
        PauseSyncCommand.class, ResumeSyncCommand.class, WaitConnectCommand.class, WaitSyncCommand.class,
        StatusCommand.class, EventsCommand.class, RoleCommand.class,
        CstateCommand.class, DstateCommand.class, GetGiCommand.class, ShutdownCommand.class,
        AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class})
public final class ReplicatorCommand implements Runnable {
    @Mixin
    GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The options every command shares. */
    public GlobalOptions global() {
        return global;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line, printing to {@code out} and {@code err}, and returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new ReplicatorCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExitCodeExceptionMapper(ReplicatorCommand::exitCodeOf);
        commandLine.setParameterExceptionHandler((problem, arguments) -> {
            err.println("replicator: " + problem.getMessage());
            err.println("Try '" + problem.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.FAILURE.status();
        });
        commandLine.setExecutionExceptionHandler((failure, line, parseResult) -> {
            err.println("replicator: " + messageOf(failure));
            return exitCodeOf(failure);
        });
        return commandLine.execute(args);
    }

    private static int exitCodeOf(Throwable failure) {
        return failure instanceof CommandFailure known ? known.exitCode().status() : ExitCode.FAILURE.status();
    }

    private static String messageOf(Throwable failure) {
        if (failure instanceof CommandFailure || failure instanceof IllegalArgumentException) {
            return failure.getMessage();
        }
        if (failure instanceof IOException || failure instanceof UncheckedIOException) {
            return "I/O error: " + failure.getMessage();
        }
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ReplicatorCommand.class.getPackage().getImplementationVersion();
            return new String[] {"replicator " + (version == null ? "(development build)" : version)};
        }
    }
}

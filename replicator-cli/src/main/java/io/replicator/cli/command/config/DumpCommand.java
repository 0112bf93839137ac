package io.replicator.cli.command.config;

import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.command.HelpOption;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.core.config.ConfigDump;
import io.replicator.core.config.ConfigError;
import io.replicator.core.config.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.Optional;

/** {@code dump [RES]}: validates the configuration and prints it in drbdadm's canonical {@code dump} form. */
@Command(name = "dump", description = "Print the effective configuration in drbdadm's canonical dump form.")
public final class DumpCommand implements Runnable {
    @Mixin
    HelpOption help;

    @ParentCommand
    ReplicatorCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "RESOURCE", description = "One resource, or 'all' (the default).")
    String resource;

    @Override
    public void run() {
        Configuration configuration = root.global().configuration();
        for (ConfigError warning : configuration.warnings()) {
            spec.commandLine().getErr().println("replicator: warning: " + warning);
        }
        Optional<String> only = resource == null || resource.equals("all") ? Optional.empty() : Optional.of(resource);
        if (only.isPresent() && !configuration.resources().containsKey(only.get())) {
            throw new CommandFailure(ExitCode.INVALID_CONFIG, "no resource '" + only.get() + "' is defined (resources: "
                + String.join(", ", configuration.resourceNames()) + ")");
        }
        spec.commandLine().getOut().print(ConfigDump.dump(configuration, only));
        spec.commandLine().getOut().flush();
    }
}

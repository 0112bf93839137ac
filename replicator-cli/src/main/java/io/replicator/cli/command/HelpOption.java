package io.replicator.cli.command;

import picocli.CommandLine.Option;

/** {@code -h, --help} for a verb: picocli's standard help options would add {@code -V}, which only the root has. */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}

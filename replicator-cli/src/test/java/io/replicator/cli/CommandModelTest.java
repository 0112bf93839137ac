package io.replicator.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The picocli model as a whole: what completion and the man pages are generated from. */
class CommandModelTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return ReplicatorCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static Set<String> verbs() {
        return new CommandLine(new ReplicatorCommand()).getSubcommands().keySet();
    }

    @Test
    void shouldShowHelpForEveryVerb() {
        assertThat(verbs()).contains("daemon", "up", "status", "generate-completion", "help");
        for (String verb : verbs()) {
            assertThat(run(verb, "--help")).as(verb + " --help: " + err).isZero();
            assertThat(out.toString()).as(verb).contains("Usage: replicator " + verb + " ");
        }
    }

    /**
     * Descriptions are format strings ({@code %n}; a literal percent sign is {@code %%}): help prints a picocli
     * warning and the raw text for one that does not format, and the man page generator fails on it.
     */
    @Test
    void shouldHaveDescriptionsThatFormat() {
        List<String> texts = new ArrayList<>();
        collect(new CommandLine(new ReplicatorCommand()).getCommandSpec(), texts);
        assertThat(texts).hasSizeGreaterThan(50);
        for (String text : texts) {
            assertThat(String.format(text)).as(text).isNotNull();
        }
    }

    private static void collect(CommandSpec command, List<String> texts) {
        texts.addAll(List.of(command.usageMessage().description()));
        for (ArgSpec arg : command.args()) {
            texts.addAll(List.of(arg.description()));
        }
        command.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), texts));
    }

    @Test
    void shouldGenerateABashCompletionThatKnowsEveryVerb() {
        assertThat(run("generate-completion")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("complete -F _complete_replicator -o default replicator");
        for (String verb : verbs()) {
            assertThat(out.toString()).as(verb).contains(" " + verb);
        }
        assertThat(out.toString()).contains("--up").contains("--config");
    }
}

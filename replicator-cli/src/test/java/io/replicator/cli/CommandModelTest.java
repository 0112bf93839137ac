package io.replicator.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
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

package io.replicator.cli.packaging;

import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.command.resource.DaemonCommand;
import io.replicator.cli.command.resource.DownCommand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The systemd units under packaging/systemd: their command lines parse with the real picocli model (so that renaming
 * a verb or an option cannot leave a unit that fails at boot), and they keep the settings the daemon needs.
 */
class SystemdUnitTest {
    /** Where the dist archive's INSTALL puts the program. */
    private static final String PROGRAM = "/opt/replicator/bin/replicator";

    private static final Path UNITS = Path.of(System.getProperty("replicator.home", ".."), "packaging", "systemd");

    /** The [Service] settings of {@code unit}, each with every value it is given, in order. */
    private static Map<String, List<String>> service(String unit) throws IOException {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(UNITS.resolve(unit))) {
            String trimmed = line.strip();
            assertThat(trimmed).as("no line continuations: this reader would miss them").doesNotEndWith("\\");
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            if (trimmed.startsWith("[")) {
                section = trimmed;
            } else if (section.equals("[Service]")) {
                int equals = trimmed.indexOf('=');
                settings.computeIfAbsent(trimmed.substring(0, equals).strip(), key -> new ArrayList<>())
                    .add(trimmed.substring(equals + 1).strip());
            }
        }
        return settings;
    }

    /** An Exec line as systemd runs it for instance {@code alpha}, after checking it needs no shell-like parsing. */
    private static List<String> argv(String command) {
        String line = command.replaceFirst("^[-@:+!]+", "");
        assertThat(line).as("plain words only (no quotes, escapes, variables)").doesNotContain("\"", "'", "\\", "$");
        List<String> words = new ArrayList<>(Arrays.asList(line.replace("%i", "alpha").split("\\s+")));
        assertThat(line.replace("%i", "")).as("no specifier but %i").doesNotContain("%");
        return words;
    }

    /** Parses the arguments after the program with the real model, as {@code replicator} would. */
    private static ParseResult parse(List<String> argv) {
        assertThat(argv.get(0)).isEqualTo(PROGRAM);
        return new CommandLine(new ReplicatorCommand()).parseArgs(argv.subList(1, argv.size()).toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"replicator.service", "replicator@.service"})
    void shouldRunTheForegroundDaemonBringingEveryResourceUp(String unit) throws IOException {
        Map<String, List<String>> service = service(unit);
        // exec: systemd supervises the process it started, so the daemon must not fork away ('up' would).
        assertThat(service.get("Type")).containsExactly("exec");
        assertThat(service.get("ExecStart")).hasSize(1);

        ParseResult start = parse(argv(service.get("ExecStart").get(0)));

        assertThat(start.subcommand().commandSpec().userObject()).isInstanceOf(DaemonCommand.class);
        assertThat(start.subcommand().matchedOptionValue("--up", List.of())).containsExactly("all");
        if (unit.contains("@")) {
            assertThat(((ReplicatorCommand) start.commandSpec().userObject()).global().nodeName()).isEqualTo("alpha");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"replicator.service", "replicator@.service"})
    void shouldBringEveryResourceDownOnStopForTheSameNode(String unit) throws IOException {
        Map<String, List<String>> service = service(unit);
        List<String> startArgv = argv(service.get("ExecStart").get(0));

        for (String stop : service.get("ExecStop")) {
            List<String> stopArgv = argv(stop);
            ParseResult parsed = parse(stopArgv);
            assertThat(parsed.subcommand().commandSpec().userObject()).isInstanceOf(DownCommand.class);
            assertThat(parsed.subcommand().matchedPositionalValue(0, "")).isEqualTo("all");
            // The global options (config, node) before the verb are the daemon's.
            assertThat(stopArgv.subList(0, stopArgv.indexOf("down")))
                .isEqualTo(startArgv.subList(0, startArgv.indexOf("daemon")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"replicator.service", "replicator@.service"})
    void shouldKeepWhatTheDaemonNeedsToRun(String unit) throws IOException {
        Map<String, List<String>> service = service(unit);

        assertThat(service.get("SuccessExitStatus")).as("the JVM exits 143 after SIGTERM").containsExactly("143");
        assertThat(service.get("RestartPreventExitStatus")).as("10: invalid configuration").containsExactly("10");
        assertThat(service).as("the JIT writes code").doesNotContainKey("MemoryDenyWriteExecute");
        assertThat(service).as("block devices").doesNotContainKeys("PrivateDevices", "DevicePolicy", "DeviceAllow");
        assertThat(service.getOrDefault("ProtectSystem", List.of())).as("volumes may live under /var, /srv, /opt")
            .doesNotContain("strict");
    }

    @org.junit.jupiter.api.Test
    void thePromoterUnitRunsThePromoterWithTheDefaultFile() throws IOException {
        Map<String, List<String>> service = service("replicator-promoter.service");
        assertThat(service.get("Type")).containsExactly("exec");
        ParseResult start = parse(argv(service.get("ExecStart").get(0)));
        assertThat(start.subcommand().commandSpec().userObject())
            .isInstanceOf(io.replicator.cli.command.role.PromoterCommand.class);
        assertThat(start.subcommand().matchedOptionValue("--promoter-config", Path.of("")))
            .isEqualTo(io.replicator.cli.promoter.PromoterConfig.DEFAULT_PATH);
        assertThat(service.get("RestartPreventExitStatus")).as("10: an invalid promoter file").containsExactly("10");
        assertThat(service.get("SuccessExitStatus")).containsExactly("143");
    }

    @org.junit.jupiter.api.Test
    void theExamplePromoterFileIsValid() throws Exception {
        Path example = UNITS.resolve("../dist/promoter.toml.example").normalize();
        assertThat(io.replicator.cli.promoter.PromoterConfig.load(example).resources()).hasSize(1);
    }

    /** The units run {@code bin/replicator daemon}: it must give the daemon the JVM options `up` gives it. */
    @org.junit.jupiter.api.Test
    void foregroundDaemonGetsTheDaemonJvmOptions() throws IOException {
        String script = Files.readString(UNITS.resolve("../../bin/replicator").normalize());
        assertThat(script).contains(io.replicator.cli.daemon.DaemonLauncher.DAEMON_JVM_OPTIONS);
    }
}

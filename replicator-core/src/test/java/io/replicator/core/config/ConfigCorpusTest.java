package io.replicator.core.config;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The corpus of fixtures/configs: every good config dumps as drbdadm does, every broken one fails as expected. */
@Timeout(60)
class ConfigCorpusTest {
    static final Path CORPUS = Path.of("..", "fixtures", "configs");

    static List<Path> files(String folder) throws IOException {
        try (Stream<Path> files = Files.list(CORPUS.resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".res")).sorted().toList();
        }
    }

    static String withoutComments(String dump) {
        return dump.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n"));
    }

    @TestFactory
    Stream<DynamicTest> shouldDumpLikeDrbdadmWhenConfigIsGood() throws IOException {
        assertThat(files("good")).hasSizeGreaterThanOrEqualTo(8);
        return files("good").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Configuration configuration = Configuration.load(file);
            String golden = Files.readString(Path.of(file.toString().replace(".res", ".golden")));
            assertThat(withoutComments(ConfigDump.dump(configuration, Optional.empty())))
                .isEqualTo(withoutComments(golden));
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldReportEveryExpectedErrorWhenConfigIsBroken() throws IOException {
        assertThat(files("broken")).hasSizeGreaterThanOrEqualTo(9);
        return files("broken").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ConfigException invalid = catchThrowableOfType(ConfigException.class, () -> Configuration.load(file));
            assertThat(invalid).as("%s must be rejected", file).isNotNull();
            List<String> expected = Files.readAllLines(Path.of(file.toString().replace(".res", ".expected")));
            for (String line : expected) {
                int colon = line.indexOf(':');
                int lineNumber = Integer.parseInt(line.substring(0, colon));
                String message = line.substring(colon + 1).trim();
                assertThat(invalid.errors()).as("%s: expected line %d: %s", file, lineNumber, message)
                    .anySatisfy(error -> {
                        assertThat(error.location().line()).isEqualTo(lineNumber);
                        assertThat(error.location().file()).isEqualTo(file.toString());
                        assertThat(error.message()).contains(message);
                    });
            }
            assertThat(invalid.errors()).as("no error beyond the expected ones").hasSize(expected.size());
        }));
    }

    @Test
    void shouldReportTheFiveProblemsOfTheIssueWhenLoadedFromText() throws IOException {
        String text = Files.readString(CORPUS.resolve("broken/brief-five-problems.res"));
        assertThatThrownBy(() -> Configuration.load("rs.res", text))
            .isInstanceOf(ConfigException.class)
            .satisfies(e -> assertThat(((ConfigException) e).errors()).extracting(ConfigError::message)
                .hasSize(5)
                .anySatisfy(m -> assertThat(m).contains("did you mean 'degr-wfc-timeout'?"))
                .anySatisfy(m -> assertThat(m).contains("did you mean 'cram-hmac-alg'?"))
                .anySatisfy(m -> assertThat(m).contains("conflicting use of address 10.227.3.20:7788")
                    .contains("first used here rs.res:8:")));
    }

    @Test
    void shouldBuildConnectionsNetAndStartupWhenConfigIsGood() throws Exception {
        Configuration configuration = Configuration.load(CORPUS.resolve("good/multi-path.res"));
        ResourceConfig paths = configuration.resource("paths");
        assertThat(paths.connections()).hasSize(1);
        ConnectionConfig connection = paths.connections().get(0);
        assertThat(connection.paths()).hasSize(2);
        assertThat(connection.paths().get(1).of("bravo").address()).isEqualTo(new Address("ipv4", "192.168.0.2", 7030));
        assertThat(connection.net().protocol()).isEqualTo(Protocol.A);
        assertThat(connection.net().onCongestion()).isEqualTo("pull-ahead");
        assertThat(connection.net().congestionFillBytes()).isEqualTo(1L << 30);

        Configuration inherited = Configuration.load(CORPUS.resolve("good/common-inheritance.res"));
        ResourceConfig web = inherited.resource("web");
        assertThat(web.net().protocol()).isEqualTo(Protocol.C);
        assertThat(web.net().maxEpochSize()).isEqualTo(4000);
        assertThat(web.net().dataIntegrityAlg()).contains("crc32c");
        assertThat(web.startup()).isEqualTo(new StartupConfig(30, 60, 10, true));
        assertThat(web.options().autoPromote()).isFalse();
        assertThat(inherited.resource("db").connections().get(0).net().protocol()).isEqualTo(Protocol.A);

        Configuration mesh = Configuration.load(CORPUS.resolve("good/three-node-mesh.res"));
        ResourceConfig r1 = mesh.resource("r1");
        assertThat(r1.connections()).hasSize(3);
        assertThat(r1.connectionsOf("bravo")).extracting(c -> c.peerOf("bravo")).containsExactly("alpha", "charlie");
        assertThat(r1.connections()).allSatisfy(c -> assertThat(c.net().koCount()).isEqualTo(4));
        assertThat(r1.options().quorum()).isEqualTo("majority");
    }

    @Test
    void shouldWarnButAcceptWhenBecomePrimaryOnIsWritten() throws Exception {
        Configuration configuration = Configuration.load("w.res", "resource r { startup { become-primary-on both; }\n"
            + "on a { node-id 0; address 10.0.0.1:1; device minor 0; disk /d; }\n"
            + "on b { node-id 1; address 10.0.0.2:1; device minor 0; disk /d; } }\n");
        assertThat(configuration.warnings()).singleElement()
            .satisfies(w -> assertThat(w.message()).contains("'become-primary-on' is ignored"));
    }

    @Test
    void shouldAcceptFlagFormsWhenWrittenBareOrNegated() throws Exception {
        Configuration configuration = Configuration.load("f.res", "resource r { net { no-use-rle; always-asbp; "
            + "allow-two-primaries no; } on a { node-id 0; address 10.0.0.1:1; device minor 0; disk /d; }\n"
            + "on b { node-id 1; address 10.0.0.2:1; device minor 0; disk /d; } }\n");
        NetConfig net = configuration.resource("r").net();
        assertThat(net.useRle()).isFalse();
        assertThat(net.alwaysAsbp()).isTrue();
        assertThat(net.allowTwoPrimaries()).isFalse();
    }
}

package io.replicator.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ConfigParserTest {
    @TempDir
    Path folder;

    @Test
    void shouldBuildSectionsAndParametersWithLocations() throws ConfigException {
        List<ConfigNode> nodes = ConfigParser.parse("t.res", """
            # comment
            resource r0 {
              net { protocol C; shared-secret "a b;{c}"; }
              on alpha { address 127.0.0.1:7789; }
            }
            """);
        assertThat(nodes).hasSize(1);
        ConfigNode.Section resource = (ConfigNode.Section) nodes.get(0);
        assertThat(resource.keyword()).isEqualTo("resource");
        assertThat(resource.name()).contains("r0");
        assertThat(resource.location()).isEqualTo(new Location("t.res", 2, 1));
        ConfigNode.Section net = (ConfigNode.Section) resource.body().get(0);
        assertThat(net.body()).containsExactly(
            new ConfigNode.Parameter("protocol", List.of("C"), new Location("t.res", 3, 9)),
            new ConfigNode.Parameter("shared-secret", List.of("a b;{c}"), new Location("t.res", 3, 21)));
    }

    @Test
    void shouldDropSkippedStatementsWithTheirSubsections() throws ConfigException {
        List<ConfigNode> nodes = ConfigParser.parse("t.res", """
            skip resource old { on a { disk /x; } }
            skip { anything goes; }
            resource r1 { skip disk { size 1G; } }
            """);
        assertThat(nodes).hasSize(1);
        assertThat(((ConfigNode.Section) nodes.get(0)).body()).isEmpty();
    }

    @Test
    void shouldReportEverySyntaxErrorWithFileAndLine() {
        assertThatThrownBy(() -> ConfigParser.parse("bad.res", """
            resource r0 {
              net { protocol C }
              disk { size 1G; }
              "quoted" x;
              on alpha { address 1.2.3.4:5
            """))
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(Object::toString)
                .containsExactly(
                    "bad.res:2:20: ';' expected after 'protocol C', but got '}'",
                    "bad.res:4:3: a keyword was expected, but got \"quoted\"",
                    "bad.res:6:1: ';' expected after 'address 1.2.3.4:5', but got end of file",
                    "bad.res:5:12: section opened here is never closed: '}' missing",
                    "bad.res:1:13: section opened here is never closed: '}' missing"));
    }

    @Test
    void shouldReportUnterminatedStringAndStrayBrace() {
        assertThatThrownBy(() -> ConfigParser.parse("s.res", "}\nglobal { x \"open; }\n"))
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(Object::toString)
                .contains("s.res:1:1: unexpected '}' with no section open",
                    "s.res:2:12: unterminated string: a closing '\"' is missing on this line"));
    }

    @Test
    void shouldIncludeGlobsInOrderAndIgnorePatternsThatMatchNothing() throws IOException, ConfigException {
        Files.createDirectories(folder.resolve("drbd.d"));
        Files.writeString(folder.resolve("drbd.d/b.res"), "resource b { }\n");
        Files.writeString(folder.resolve("drbd.d/a.res"), "resource a { }\n");
        Path main = folder.resolve("main.conf");
        Files.writeString(main, """
            global { usage-count no; }
            include "drbd.d/*.res";
            include "nothing/*.res";
            include "drbd.d/a.res";
            """);
        assertThat(ConfigParser.parse(main)).extracting(ConfigNode::keyword, n -> ((ConfigNode.Section) n).arguments())
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("global", List.of()),
                org.assertj.core.groups.Tuple.tuple("resource", List.of("a")),
                org.assertj.core.groups.Tuple.tuple("resource", List.of("b")));
    }

    @Test
    void shouldRejectMissingLiteralIncludeAndIncludeInsideSection() throws IOException {
        Path main = folder.resolve("main.conf");
        Files.writeString(main, "include \"missing.res\";\nresource r { include \"x\"; }\n");
        assertThatThrownBy(() -> ConfigParser.parse(main))
            .isInstanceOfSatisfying(ConfigException.class, e -> {
                assertThat(e.errors()).hasSize(2);
                assertThat(e.errors().get(0).message()).contains("missing.res").contains("no such file");
                assertThat(e.errors().get(1).message()).isEqualTo("include is allowed only at top level");
            });
    }

    @Test
    void shouldReportMissingConfigurationFileClearly() {
        Path missing = folder.resolve("nope.conf");
        assertThatThrownBy(() -> ConfigParser.parse(missing)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("cannot read " + missing + ": no such file");
    }
}

package io.replicator.cli.command.demo;

import io.replicator.core.config.Configuration;
import io.replicator.core.config.HostConfig;
import io.replicator.core.config.ResourceConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoConfigTest {
    private static final Path SCRATCH = Path.of("/tmp/replicator-demo-42");
    private static final Map<String, DemoNode> NODES = new LinkedHashMap<>();

    static {
        NODES.put("alpha", new DemoNode("alpha", 40001, 40002, 40003));
        NODES.put("bravo", new DemoNode("bravo", 40011, 40012, 40013));
    }

    @Test
    void shouldGiveEachNodeOfTheEmbeddedFixtureItsPortsExportAndDisksInTheScratchFolder() throws Exception {
        String text = DemoConfig.render(DemoConfig.embedded(), SCRATCH, NODES);

        ResourceConfig resource = Configuration.load("demo.res", text).resource(DemoConfig.RESOURCE);
        HostConfig alpha = resource.requireHost("alpha");
        HostConfig bravo = resource.requireHost("bravo");
        assertThat(alpha.address()).contains("127.0.0.1:40001");
        assertThat(bravo.address()).contains("127.0.0.1:40011");
        assertThat(alpha.nbdListen().orElseThrow().toString()).contains("40002");
        assertThat(bravo.nbdListen().orElseThrow().toString()).contains("40012");
        assertThat(alpha.volume(0).orElseThrow().disk()).isEqualTo("/tmp/replicator-demo-42/alpha/r0-0.img");
        assertThat(bravo.volume(0).orElseThrow().disk()).isEqualTo("/tmp/replicator-demo-42/bravo/r0-0.img");
        assertThat(alpha.volume(0).orElseThrow().sizeBytes()).isEqualTo(64L << 20);
        assertThat(text).doesNotContain("/tmp/replicator/").doesNotContain(":7789").doesNotContain(":7790")
            .contains("  net {\n    connect-int 1;\n    protocol C;\n")
            .contains("  disk {\n    c-fill-target 8M;\n    c-max-rate 4G;\n    size 64M;\n");
    }

    @Test
    void shouldPutEveryNodeOptionRightAfterTheNodesAddress() throws Exception {
        String text = DemoConfig.render(DemoConfig.embedded(), SCRATCH, NODES);

        for (DemoNode node : NODES.values()) {
            StringBuilder expected = new StringBuilder("    address 127.0.0.1:" + node.peerPort() + ";\n");
            DemoConfig.nodeOptions(node).forEach(option -> expected.append("    ").append(option).append('\n'));
            assertThat(text).contains(expected);
        }
        assertThat(DemoConfig.nodeOptions(NODES.get("alpha")))
            .containsExactly("nbd-listen 127.0.0.1:40002;", "metrics-listen 127.0.0.1:40003;");
    }

    @Test
    void shouldRefuseAFixtureWhoseNodeHasNoAddressToRewrite() throws Exception {
        String withoutAddress = DemoConfig.embedded().replaceFirst("(?m)^\\s*address 127\\.0\\.0\\.1:7790;\\n", "");

        assertThatThrownBy(() -> DemoConfig.render(withoutAddress, SCRATCH, NODES))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no longer fits the demo");
    }

    @Test
    void shouldNameWhereTheMetricsWouldBeServed() {
        DemoNode alpha = NODES.get("alpha");

        assertThat(alpha.metricsUrl()).isEqualTo("http://127.0.0.1:40003/metrics");
        assertThat(alpha.nbdUri("r0")).isEqualTo("nbd://127.0.0.1:40002/r0");
    }
}

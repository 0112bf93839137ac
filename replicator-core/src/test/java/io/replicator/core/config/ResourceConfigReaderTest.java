package io.replicator.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class ResourceConfigReaderTest {
    private static Map<String, ResourceConfig> read(String text) throws ConfigException {
        return ResourceConfigReader.read(ConfigParser.parse("t.res", text));
    }

    @Test
    void shouldInheritDiskOptionsFromCommonResourceHostAndVolume() throws ConfigException {
        ResourceConfig r0 = read("""
            common { disk { al-extents 100; size 1G; } handlers { split-brain "/bin/true"; local-io-error "/a"; } }
            resource r0 {
              disk { size 64M; on-io-error call-local-io-error; }
              handlers { local-io-error "/usr/lib/notify.sh local"; }
              device /dev/drbd0; meta-disk internal;
              on alpha { node-id 3; address 127.0.0.1:7000; disk /a.img; }
              on bravo { node-id 4; address 127.0.0.1:7001; disk /b.img; disk { al-extents 200; durability dsync; } }
            }
            """).get("r0");
        assertThat(r0.hosts()).extracting(HostConfig::name, HostConfig::nodeId)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("alpha", 3), org.assertj.core.groups.Tuple.tuple("bravo", 4));
        VolumeConfig alpha = r0.host("alpha").orElseThrow().volume(0).orElseThrow();
        assertThat(alpha.disk()).isEqualTo("/a.img");
        assertThat(alpha.device()).isEqualTo("/dev/drbd0");
        assertThat(alpha.sizeBytes()).isEqualTo(64L << 20);
        assertThat(alpha.alExtents()).isEqualTo(100);
        assertThat(alpha.metaDisk().internal()).isTrue();
        assertThat(r0.host("bravo").orElseThrow().volume(0).orElseThrow().alExtents()).isEqualTo(200);
        assertThat(r0.host("bravo").orElseThrow().volume(0).orElseThrow().durability())
            .isEqualTo(io.replicator.core.volume.Durability.DSYNC);
        assertThat(alpha.durability()).isEqualTo(io.replicator.core.volume.Durability.FORCE);
        assertThat(alpha.onIoError()).isEqualTo(OnIoError.CALL_LOCAL_IO_ERROR);
        assertThat(r0.handler("local-io-error")).contains("/usr/lib/notify.sh local");
        assertThat(r0.handler("split-brain")).contains("/bin/true");
        assertThat(r0.handler("fence-peer")).isEmpty();
        assertThat(r0.peersOf("alpha")).extracting(HostConfig::name).containsExactly("bravo");
    }

    @Test
    void shouldReadExplicitVolumesWithExternalMetaDisk() throws ConfigException {
        ResourceConfig r1 = read("""
            resource r1 {
              volume 0 { device /dev/drbd1; disk /d0; meta-disk /m0; }
              volume 1 { device /dev/drbd2; disk /d1; meta-disk internal; }
              on alpha { node-id 0; address 127.0.0.1:7000; }
              on bravo { node-id 1; address 127.0.0.1:7001; volume 1 { disk /other; } }
            }
            """).get("r1");
        HostConfig alpha = r1.host("alpha").orElseThrow();
        assertThat(alpha.volumes()).extracting(VolumeConfig::number).containsExactly(0, 1);
        assertThat(alpha.volume(0).orElseThrow().metaDisk()).isEqualTo(new MetaDisk(Optional.of("/m0")));
        assertThat(r1.host("bravo").orElseThrow().volume(1).orElseThrow().disk()).isEqualTo("/other");
    }

    @Test
    void shouldDeriveNodeIdsOfTwoHostResourceWithoutThem() throws ConfigException {
        ResourceConfig r = read("resource r { disk /x; on a { address 1.1.1.1:1; } on b { address 1.1.1.2:1; } }")
            .get("r");
        assertThat(r.hosts()).extracting(HostConfig::nodeId).containsExactly(0, 1);
    }

    @Test
    void shouldReportEveryModelErrorWithLocation() {
        assertThatThrownBy(() -> read("""
            resource r {
              on a { node-id 0; disk /x; disk { size 3T; } }
              on b { node-id 0; disk /y; }
              on c { disk /z; disk { durability often; } }
              on d { node-id 40; }
            }
            resource r { }
            """))
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(Object::toString)
                .containsExactlyInAnyOrder(
                    "t.res:2:37: size: '3T' has an invalid unit 'T' (allowed: s, k, K, m, M, g, G)",
                    "t.res:4:3: node-id missing in 'on c': every host needs 'node-id N;' (0..31)",
                    "t.res:5:10: node-id 40 => 40 out of range [0..31]",
                    "t.res:5:3: volume 0 has no 'disk' (a path, or 'none')",
                    "t.res:4:26: durability 'often' is not allowed. Allowed values are: force, dsync",
                    "t.res:3:3: node-id 0 is used by a and b; node ids must be unique",
                    "t.res:7:1: resource r is defined twice (first at t.res:1:1)"));
    }

    @Test
    void shouldNameTheKnownResourcesAndHostsWhenSelectionFails() throws ConfigException {
        var nodes = ConfigParser.parse("t.res", "resource r0 { on alpha { node-id 0; disk /x; } }");
        assertThatThrownBy(() -> ResourceConfigReader.read(nodes, "r9", new Location("t.res", 0, 0)))
            .hasMessageContaining("no resource 'r9' is defined (resources: r0)");
        ResourceConfig r0 = ResourceConfigReader.read(nodes, "r0", new Location("t.res", 0, 0));
        assertThatThrownBy(() -> r0.requireHost("zulu")).hasMessageContaining("no 'on zulu' section (hosts: alpha)")
            .hasMessageContaining("--node");
    }
    @Test
    void shouldReadMetricsListenOfEachHost() throws ConfigException {
        ResourceConfig r = read("""
            resource r {
              disk /x;
              on a { node-id 0; address 10.0.0.1:7789; metrics-listen 127.0.0.1:9942; }
              on b { node-id 1; address 10.0.0.2:7789; metrics-listen ipv6 [::1]:9942; }
              on c { node-id 2; address 10.0.0.3:7789; }
            }
            """).get("r");
        assertThat(r.host("a").orElseThrow().metricsListen()).contains(new Address("ipv4", "127.0.0.1", 9942));
        assertThat(r.host("b").orElseThrow().metricsListen()).contains(new Address("ipv6", "::1", 9942));
        assertThat(r.host("c").orElseThrow().metricsListen()).isEmpty();
    }

    @Test
    void shouldRejectABadMetricsListenWithFileLineAndColumn() {
        assertThatThrownBy(() -> Configuration.load("t.res", """
            resource r {
              disk /x; device minor 0;
              on a { node-id 0; address 10.0.0.1:7789; metrics-listen 10.0.0.1:0; }
              on b { node-id 1; address 10.0.0.2:7789; metrics-listen 10.0.0.2:7789; }
              on c { node-id 2; address 10.0.0.3:7789; metrics-listen host.example:9942; }
            }
            """))
            .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(Object::toString)
                .containsExactlyInAnyOrder(
                    "t.res:3:44: metrics-listen: port '0' in '10.0.0.1:0' is not in 1..65535",
                    "t.res:4:44: metrics-listen 10.0.0.2:7789 is also the address of 'on b' (t.res:4:21): give it a "
                        + "port of its own",
                    "t.res:5:44: metrics-listen: 'host.example' is not an IPv4 address"));
    }

    @Test
    void shouldDumpMetricsListenWithItsAddressFamily() throws ConfigException {
        Configuration configuration = Configuration.load("t.res", """
            resource r {
              disk /x; device minor 0;
              on a { node-id 0; metrics-listen 127.0.0.1:9942; address 10.0.0.1:7789; }
              on b { node-id 1; address 10.0.0.2:7789; }
            }
            """);
        assertThat(ConfigDump.dump(configuration, Optional.empty()))
            .contains("        metrics-listen   ipv4 127.0.0.1:9942;\n");
    }
}

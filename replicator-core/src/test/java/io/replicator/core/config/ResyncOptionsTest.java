package io.replicator.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The resync options of {@code disk { }}: read with inheritance, converted to named units, defaults from Keywords. */
@Timeout(10)
class ResyncOptionsTest {
    private static Map<String, ResourceConfig> read(String text) throws ConfigException {
        return ResourceConfigReader.read(ConfigParser.parse("t.res", text));
    }

    @Test
    void shouldReadResyncOptionsWithInheritanceAndUnits() throws ConfigException {
        ResourceConfig r1 = read("""
            common { disk { resync-rate 10M; c-min-rate 1000; } }
            resource r0 { on alpha { node-id 0; address 127.0.0.1:7000; disk /a; }
                          on bravo { node-id 1; address 127.0.0.1:7001; disk /b; } }
            resource r1 {
              disk { c-plan-ahead 50; c-fill-target 1M; c-delay-target 30; }
              on alpha { node-id 0; address 127.0.0.1:7010; disk /c;
                         disk { c-max-rate 200M; c-min-rate 0; resync-after r0; } }
              on bravo { node-id 1; address 127.0.0.1:7011; disk /d; disk { c-plan-ahead 0; } }
            }
            """).get("r1");
        ResyncOptions alpha = r1.host("alpha").orElseThrow().volume(0).orElseThrow().resync();
        assertThat(alpha).isEqualTo(new ResyncOptions(10L << 20, 5_000_000_000L, 3_000_000_000L, 1L << 20,
            200L << 20, 0, Optional.of("r0")));
        assertThat(alpha.dynamic()).isTrue();
        assertThat(alpha.planAheadSteps()).isEqualTo(50);

        ResyncOptions bravo = r1.host("bravo").orElseThrow().volume(0).orElseThrow().resync();
        assertThat(bravo.cPlanAheadNs()).isZero();
        assertThat(bravo.dynamic()).isFalse();
        assertThat(bravo.cMinRateBytesPerSec()).isEqualTo(1000L * 1024);
        assertThat(bravo.cMaxRateBytesPerSec()).isEqualTo(102400L * 1024);
        assertThat(bravo.resyncAfter()).isEmpty();
    }

    @Test
    void shouldMatchKeywordsDefaultsWhenNothingIsWritten() throws ConfigException {
        ResyncOptions written = read("""
            resource r0 { on alpha { node-id 0; address 127.0.0.1:7000; disk /a; }
                          on bravo { node-id 1; address 127.0.0.1:7001; disk /b; } }
            """).get("r0").host("alpha").orElseThrow().volume(0).orElseThrow().resync();

        assertThat(written).isEqualTo(ResyncOptions.DEFAULT);
        assertThat(ResyncOptions.DEFAULT.resyncRateBytesPerSec())
            .isEqualTo(Long.parseLong(Keywords.RESYNC_RATE.defaultValue()) * 1024).isEqualTo(250L * 1024);
        assertThat(ResyncOptions.DEFAULT.cPlanAheadNs())
            .isEqualTo(Long.parseLong(Keywords.C_PLAN_AHEAD.defaultValue()) * 100_000_000L).isEqualTo(2_000_000_000L);
        assertThat(ResyncOptions.DEFAULT.cDelayTargetNs())
            .isEqualTo(Long.parseLong(Keywords.C_DELAY_TARGET.defaultValue()) * 100_000_000L);
        assertThat(ResyncOptions.DEFAULT.cFillTargetBytes())
            .isEqualTo(Long.parseLong(Keywords.C_FILL_TARGET.defaultValue()) * 512).isEqualTo(51_200L);
        assertThat(ResyncOptions.DEFAULT.cMaxRateBytesPerSec())
            .isEqualTo(Long.parseLong(Keywords.C_MAX_RATE.defaultValue()) * 1024);
        assertThat(ResyncOptions.DEFAULT.cMinRateBytesPerSec())
            .isEqualTo(Long.parseLong(Keywords.C_MIN_RATE.defaultValue()) * 1024);
        assertThat(ResyncOptions.DEFAULT.resyncAfter()).isEmpty();
        assertThat(ResyncOptions.DEFAULT.planAheadSteps()).isEqualTo(20);
    }

    @Test
    void shouldFallBackToTheDefaultWhenAValueIsInvalid() {
        ResyncOptions options = ResyncOptions.of(Map.of("resync-rate", "fast", "c-plan-ahead", "301"));

        assertThat(options.resyncRateBytesPerSec()).isEqualTo(ResyncOptions.DEFAULT.resyncRateBytesPerSec());
        assertThat(options.cPlanAheadNs()).isEqualTo(ResyncOptions.DEFAULT.cPlanAheadNs());
    }

    @Test
    void shouldRejectAResyncAfterCycleOnANode() {
        String text = """
            resource r0 { on alpha { node-id 0; address 127.0.0.1:7000; disk /a; disk { resync-after r1; } }
                          on bravo { node-id 1; address 127.0.0.1:7001; disk /b; } }
            resource r1 { on alpha { node-id 0; address 127.0.0.1:7010; disk /c; disk { resync-after r0/0; } }
                          on bravo { node-id 1; address 127.0.0.1:7011; disk /d; disk { resync-after r0; } } }
            """;
        assertThatThrownBy(() -> Configuration.load("cycle.res", text))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("resync-after forms a cycle on alpha")
            .hasMessageNotContaining("cycle on bravo");
    }

    @Test
    void shouldRejectAVolumeWaitingForItself() {
        String text = """
            resource r0 { on alpha { node-id 0; address 127.0.0.1:7000; disk /a; disk { resync-after r0/0; } }
                          on bravo { node-id 1; address 127.0.0.1:7001; disk /b; } }
            """;
        assertThatThrownBy(() -> Configuration.load("self.res", text))
            .hasMessageContaining("resync-after forms a cycle on alpha: r0/0 -> r0/0");
    }
}

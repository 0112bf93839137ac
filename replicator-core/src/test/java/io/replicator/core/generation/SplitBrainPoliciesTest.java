package io.replicator.core.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.replicator.core.config.ConfigException;
import io.replicator.core.config.ConfigParser;
import io.replicator.core.config.Keywords;
import io.replicator.core.config.NetConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.config.ResourceConfigReader;
import io.replicator.core.config.ValueType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The split-brain policies as read from {@code net { }}: values, defaults, and the Keywords spellings. */
@Timeout(10)
class SplitBrainPoliciesTest {
    private static NetConfig net(String netSection) throws ConfigException {
        ResourceConfig r0 = ResourceConfigReader.read(ConfigParser.parse("t.res", """
            resource r0 {
              %s
              on alpha { node-id 0; address 127.0.0.1:7000; disk /a; }
              on bravo { node-id 1; address 127.0.0.1:7001; disk /b; }
            }
            """.formatted(netSection))).get("r0");
        return r0.net();
    }

    @Test
    void shouldReadEveryPolicyFromTheNetSection() throws ConfigException {
        NetConfig net = net("net { after-sb-0pri discard-least-changes; after-sb-1pri consensus; "
            + "after-sb-2pri call-pri-lost-after-sb; rr-conflict retry-connect; always-asbp; }");

        assertThat(SplitBrainPolicies.of(net, "alpha")).isEqualTo(new SplitBrainPolicies(
            AfterSb0pri.DISCARD_LEAST_CHANGES, AfterSb1pri.CONSENSUS, AfterSb2pri.CALL_PRI_LOST_AFTER_SB,
            RrConflict.RETRY_CONNECT, true));
    }

    @Test
    void shouldResolveDiscardNodeNameForEachNode() throws ConfigException {
        NetConfig net = net("net { after-sb-0pri discard-node-bravo; }");

        assertThat(SplitBrainPolicies.of(net, "bravo").afterSb0pri()).isEqualTo(AfterSb0pri.DISCARD_LOCAL);
        assertThat(SplitBrainPolicies.of(net, "alpha").afterSb0pri()).isEqualTo(AfterSb0pri.DISCARD_REMOTE);
    }

    @Test
    void shouldMatchKeywordsDefaultsWhenNothingIsWritten() throws ConfigException {
        SplitBrainPolicies written = SplitBrainPolicies.of(net(""), "alpha");

        assertThat(written).isEqualTo(SplitBrainPolicies.DEFAULT);
        assertThat(written.afterSb0pri().drbdName()).isEqualTo(Keywords.AFTER_SB_0PRI.defaultValue());
        assertThat(written.afterSb1pri().drbdName()).isEqualTo(Keywords.AFTER_SB_1PRI.defaultValue());
        assertThat(written.afterSb2pri().drbdName()).isEqualTo(Keywords.AFTER_SB_2PRI.defaultValue());
        assertThat(written.rrConflict().drbdName()).isEqualTo(Keywords.RR_CONFLICT.defaultValue());
        assertThat(written.alwaysAsbp()).isEqualTo(Keywords.ALWAYS_ASBP.defaultValue().equals("yes"));
    }

    @Test
    void shouldSpellExactlyTheValuesKeywordsAllows() {
        assertThat(Arrays.stream(AfterSb0pri.values()).map(AfterSb0pri::drbdName))
            .containsExactlyElementsOf(choices(Keywords.AFTER_SB_0PRI.type()));
        assertThat(Arrays.stream(AfterSb1pri.values()).map(AfterSb1pri::drbdName))
            .containsExactlyElementsOf(choices(Keywords.AFTER_SB_1PRI.type()));
        assertThat(Arrays.stream(AfterSb2pri.values()).map(AfterSb2pri::drbdName))
            .containsExactlyElementsOf(choices(Keywords.AFTER_SB_2PRI.type()));
        assertThat(Arrays.stream(RrConflict.values()).map(RrConflict::drbdName))
            .containsExactlyElementsOf(choices(Keywords.RR_CONFLICT.type()));
    }

    @Test
    void shouldRejectAValueOfAnotherPolicy() {
        assertThatThrownBy(() -> AfterSb1pri.parse("discard-local")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AfterSb0pri.parse("consensus", "alpha"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static java.util.List<String> choices(ValueType type) {
        return ((ValueType.Choice) type).values();
    }
}

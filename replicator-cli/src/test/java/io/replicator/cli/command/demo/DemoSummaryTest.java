package io.replicator.cli.command.demo;

import io.replicator.net.nbd.client.Verification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class DemoSummaryTest {
    private static final String DIGEST = "ab".repeat(32);

    @Test
    void shouldReportNothingLostAndIdenticalCopiesWhenBothChecksPass() {
        DemoSummary summary = summary(clean(900), clean(1900), DIGEST, DIGEST);

        assertThat(summary.ok()).isTrue();
        assertThat(summary.lines())
            .contains("  lost: 0", "  copies: identical (sha256 " + DIGEST + " on both)")
            .anySatisfy(line -> assertThat(line).startsWith("  writes acknowledged: 900 through alpha")
                .contains("8 more in flight").contains("1000 through bravo"))
            .anySatisfy(line -> assertThat(line).isEqualTo("  writes verified: 900 of 900 on bravo through its NBD "
                + "export after the failover, 1900 of 1900 on alpha's disk after the failback"))
            .anySatisfy(line -> assertThat(line).startsWith("  resync after the failback: 8192 KiB of 64 MiB")
                .contains("bravo's bitmap marked 3000 KiB"))
            .anySatisfy(line -> assertThat(line).isEqualTo("  time: setup 1.5 s, failback resync 2.0 s, total 9.0 s"))
            .last().asString().startsWith("OK: ");
    }

    @Test
    void shouldFailAndSayWhatWhenAWriteIsLostOrTheCopiesDiffer() {
        Verification withLoss = new Verification(7, 2048, 908, 900, 0, 8, 0, 0,
            List.of(new Verification.LostWrite(12, 4, "generation 3")), List.of(), List.of());
        DemoSummary summary = summary(withLoss, clean(1900), DIGEST, "cd".repeat(32));

        assertThat(summary.ok()).isFalse();
        assertThat(summary.lost()).isEqualTo(1);
        assertThat(summary.lines()).contains("  lost: 1")
            .anySatisfy(line -> assertThat(line).startsWith("  copies: DIFFERENT"))
            .anySatisfy(line -> assertThat(line).startsWith("  findings: on bravo"))
            .last().asString().startsWith("FAILED: 1 acknowledged writes lost; the copies differ after the failback");
        assertThat(summary.problems()).endsWith("(seed 7)");
    }

    @Test
    void shouldSayWhenTheResyncSizeIsNotInTheLog() {
        DemoSummary summary = new DemoSummary(7, 900, 8, clean(900), 1000, clean(1900), 3000, OptionalLong.empty(),
            64L << 20, DIGEST, DIGEST, Map.of(), Duration.ofSeconds(9));

        assertThat(summary.lines()).anySatisfy(line -> assertThat(line).startsWith("  resync after the failback: "
            + "unknown").endsWith("bravo's bitmap marked 3000 KiB"));
        assertThat(summary.ok()).isTrue();
    }

    private static DemoSummary summary(Verification onBravo, Verification onAlpha, String alpha, String bravo) {
        Map<String, Duration> phases = new LinkedHashMap<>();
        phases.put("setup", Duration.ofMillis(1500));
        phases.put("failback resync", Duration.ofSeconds(2));
        return new DemoSummary(7, 900, 8, onBravo, 1000, onAlpha, 3000, OptionalLong.of(8192), 64L << 20, alpha,
            bravo, phases, Duration.ofSeconds(9));
    }

    private static Verification clean(long acked) {
        return new Verification(7, 2048, acked + 8, acked, 0, 8, 5, 0, List.of(), List.of(), List.of());
    }
}

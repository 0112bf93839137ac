package io.replicator.cli.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The daemon's check of request flags: switches, and the values of invalidate and verify. */
@Timeout(30)
class RequestFlagsTest {
    @Test
    void shouldAcceptSwitchesForAnyVerb() {
        RequestFlags flags = RequestFlags.parse("status", List.of("--json", "--verbose"));
        assertThat(flags.has("--json")).isTrue();
        assertThat(flags.has("--force")).isFalse();
    }

    @Test
    void shouldResetTheBitmapUnlessNoIsGiven() {
        assertThat(RequestFlags.parse("invalidate", List.of()).resetBitmap()).isTrue();
        assertThat(RequestFlags.parse("invalidate", List.of("--reset-bitmap=no")).resetBitmap()).isFalse();
        assertThat(RequestFlags.parse("invalidate-remote", List.of("--reset-bitmap=yes")).resetBitmap()).isTrue();
    }

    @Test
    void shouldReadVerifyRangeInSectors() {
        RequestFlags flags = RequestFlags.parse("verify", List.of("--start=2048", "--stop=2M"));
        assertThat(flags.startSector()).isEqualTo(OptionalLong.of(2048));
        assertThat(flags.stopSector()).isEqualTo(OptionalLong.of(4096));
        assertThat(RequestFlags.parse("verify", List.of()).startSector()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0,0", "17,17", "17s,17", "1k,2", "1K,2", "1M,2048", "1G,2097152", "1T,2147483648"})
    void shouldConvertUnitsToSectors(String text, long sectors) {
        assertThat(RequestFlags.parseSectors(text)).isEqualTo(sectors);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|a sector number is required",
        "-1|'-1' is negative",
        "abc|'abc' is not a number",
        "1.5|'1.5' is not a number",
        "M|'M' is not a number",
        "12x|unknown unit 'x' in '12x'",
        "99999999999999999999|is too large",
        "9999999999999T|is too large"})
    void shouldRejectBadSectorWithReason(String text, String reason) {
        assertThatThrownBy(() -> RequestFlags.parseSectors(text)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(reason);
    }

    @Test
    void shouldRejectBadResetBitmapValue() {
        assertThatThrownBy(() -> RequestFlags.parse("invalidate", List.of("--reset-bitmap=maybe")))
            .hasMessage("--reset-bitmap: expected yes or no, not 'maybe'");
    }

    @Test
    void shouldRejectStartThatIsNotBeforeStop() {
        assertThatThrownBy(() -> RequestFlags.parse("verify", List.of("--start=100", "--stop=100")))
            .hasMessage("--start (sector 100) must be before --stop (sector 100)");
    }

    @Test
    void shouldNameTheOptionWhenItsValueIsBad() {
        assertThatThrownBy(() -> RequestFlags.parse("verify", List.of("--stop=-5")))
            .hasMessageStartingWith("--stop: '-5' is negative");
    }

    @Test
    void shouldRejectUnknownRepeatedOrValuelessOptions() {
        assertThatThrownBy(() -> RequestFlags.parse("status", List.of("--bogus")))
            .hasMessage("unknown option '--bogus'");
        assertThatThrownBy(() -> RequestFlags.parse("verify", List.of("--reset-bitmap=no")))
            .hasMessage("unknown option '--reset-bitmap'");
        assertThatThrownBy(() -> RequestFlags.parse("verify", List.of("--start=1", "--start=2")))
            .hasMessage("option '--start' is given more than once");
        assertThatThrownBy(() -> RequestFlags.parse("verify", List.of("--start")))
            .hasMessage("option '--start' needs a value (--start=VALUE)");
    }

    @Test
    void shouldAnswerBadFlagsBeforeLookingForTheResource() throws Exception {
        DaemonRequests requests = new DaemonRequests(null);
        StringWriter err = new StringWriter();
        int status = requests.handle(List.of("verify", "r0", "--start=9", "--stop=3"),
            new PrintWriter(new StringWriter()), new PrintWriter(err, true), null);
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("verify: --start (sector 9) must be before --stop (sector 3)\n");
    }
}

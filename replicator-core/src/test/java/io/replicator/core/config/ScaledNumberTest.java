package io.replicator.core.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScaledNumberTest {
    @ParameterizedTest(name = "{0} with default unit {1} = {2}")
    @CsvSource({
        "100, 512, 51200",
        "64M, 512, 67108864",
        "1G, 1, 1073741824",
        "8k, 512, 8192",
        "8K, 1, 8192",
        "3s, 1024, 1536",
        "0, 512, 0",
    })
    void shouldScaleBySuffixOrDefaultUnit(String text, long unit, long expected) {
        assertThat(ScaledNumber.parse(text, unit)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is rejected: {1}")
    @CsvSource({
        "1T, invalid unit 'T'",
        "abc, invalid unit 'c'",
        "M, is not a number",
        "-5, is not a number",
        "99999999999999999999G, is too large",
        "9999999999G, is too large",
    })
    void shouldRejectBadNumbersWithReason(String text, String reason) {
        assertThatThrownBy(() -> ScaledNumber.parse(text, 1)).hasMessageContaining(reason);
    }
}

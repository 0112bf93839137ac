package io.replicator.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StateChangeRefusalTest {

    @Test
    void shouldCarryDrbdCodesAndMessagesWhenKnown() {
        assertThat(StateChangeRefusal.TWO_PRIMARIES.code()).isEqualTo(-1);
        assertThat(StateChangeRefusal.TWO_PRIMARIES.message()).isEqualTo("Multiple primaries not allowed by config");
        assertThat(StateChangeRefusal.ofCode(-2).message()).isEqualTo("Need access to UpToDate data");
        assertThat(StateChangeRefusal.ofCode(-12).message()).isEqualTo("Device is held open by someone");
        assertThat(StateChangeRefusal.ofCode(-25)).isSameAs(StateChangeRefusal.NO_QUORUM);
        assertThat(StateChangeRefusal.NO_QUORUM.message()).isEqualTo("No quorum");
    }

    @Test
    void shouldHaveDistinctNegativeCodesWhenListed() {
        assertThat(Arrays.stream(StateChangeRefusal.values()).mapToInt(StateChangeRefusal::code))
            .doesNotHaveDuplicates().allMatch(code -> code < 0);
    }

    @Test
    void shouldPrintDrbdsetupLineWhenDescribed() {
        assertThat(StateChangeRefusal.NO_UP_TO_DATE_DISK.describe())
            .isEqualTo("State change failed: (-2) Need access to UpToDate data");
    }

    @Test
    void shouldRejectWhenCodeIsUnknown() {
        assertThatThrownBy(() -> StateChangeRefusal.ofCode(-3)).isInstanceOf(IllegalArgumentException.class);
    }
}

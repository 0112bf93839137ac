package io.replicator.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RoleTest {

    @Test
    void shouldSpellAsDrbdWhenNamed() {
        assertThat(Arrays.stream(Role.values()).map(Role::drbdName))
            .containsExactly("Primary", "Secondary", "Unknown");
    }

    @Test
    void shouldRoundTripWhenParsingDrbdName() {
        for (Role role : Role.values()) {
            assertThat(Role.parse(role.drbdName())).isSameAs(role);
        }
    }

    @Test
    void shouldRejectWhenParsingJavaName() {
        assertThatThrownBy(() -> Role.parse("PRIMARY")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("PRIMARY");
    }

    @Test
    void shouldAllowEveryChangeButStayingWhenRolesDiffer() {
        assertThat(Role.isValid(Role.SECONDARY, Role.PRIMARY)).isTrue();
        assertThat(Role.isValid(Role.PRIMARY, Role.SECONDARY)).isTrue();
        assertThat(Role.isValid(Role.UNKNOWN, Role.PRIMARY)).isTrue();
        assertThat(Role.isValid(Role.PRIMARY, Role.UNKNOWN)).isTrue();
        assertThat(Role.isValid(Role.PRIMARY, Role.PRIMARY)).isFalse();
        assertThat(Role.UNKNOWN.predecessors()).containsExactlyInAnyOrder(Role.PRIMARY, Role.SECONDARY);
    }
}

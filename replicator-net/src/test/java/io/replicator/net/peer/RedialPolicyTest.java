package io.replicator.net.peer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedialPolicyTest {
    private static final long MS = 1_000_000L;

    @Test
    void aSessionsEndRedialsAtOnceOncePerConnectInt_aFailedAttemptWaitsConnectInt() {
        RedialPolicy policy = new RedialPolicy(10_000);
        assertThat(policy.delayMs(false, 0)).as("failed attempt").isEqualTo(10_000);
        assertThat(policy.delayMs(true, 0)).as("session ended").isEqualTo(RedialPolicy.QUICK_MS);
        assertThat(policy.delayMs(true, 5_000 * MS)).as("again within connect-int").isEqualTo(10_000);
        assertThat(policy.delayMs(true, 10_001 * MS)).isEqualTo(RedialPolicy.QUICK_MS);
        assertThat(new RedialPolicy(20).delayMs(true, 0)).as("a connect-int below it").isEqualTo(20);
    }
}

package io.replicator.net.handshake;

import io.replicator.core.config.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings agreement, both directions. */
@Timeout(10)
class ConnectionSettingsTest {
    static final ConnectionSettings BASE = new ConnectionSettings(Protocol.C, "disconnect", "disconnect",
        "disconnect", false, Optional.empty(), false, "none");

    static ConnectionSettings with(Protocol protocol, String sb0, String sb1, String sb2, boolean twoPrimaries,
                                   Optional<String> integrity, boolean discard, String compression) {
        return new ConnectionSettings(protocol, sb0, sb1, sb2, twoPrimaries, integrity, discard, compression);
    }

    static void assertBothWays(ConnectionSettings a, ConnectionSettings b, Optional<String> expected) {
        assertThat(a.incompatibility(b)).isEqualTo(expected);
        assertThat(b.incompatibility(a)).isEqualTo(expected);
    }

    @Test
    void equalSettingsAgree() {
        assertBothWays(BASE, BASE, Optional.empty());
    }

    @Test
    void eachSharedSettingIsNamed() {
        assertBothWays(BASE, with(Protocol.A, "disconnect", "disconnect", "disconnect", false, Optional.empty(),
            false, "none"), Optional.of("incompatible protocol settings"));
        assertBothWays(BASE, with(Protocol.C, "discard-zero-changes", "disconnect", "disconnect", false,
            Optional.empty(), false, "none"), Optional.of("incompatible after-sb-0pri settings"));
        assertBothWays(BASE, with(Protocol.C, "disconnect", "disconnect", "violently-as0p", false,
            Optional.empty(), false, "none"), Optional.of("incompatible after-sb-2pri settings"));
        assertBothWays(BASE, with(Protocol.C, "disconnect", "disconnect", "disconnect", true, Optional.empty(),
            false, "none"), Optional.of("incompatible allow-two-primaries settings"));
        assertBothWays(BASE, with(Protocol.C, "disconnect", "disconnect", "disconnect", false,
            Optional.of("sha256"), false, "none"), Optional.of("incompatible data-integrity-alg settings"));
        assertBothWays(BASE, with(Protocol.C, "disconnect", "disconnect", "disconnect", false, Optional.empty(),
            false, "lz4"), Optional.of("incompatible compression settings"));
    }

    @Test
    void discardLocalPairsWithDiscardRemoteOnly() {
        ConnectionSettings local = with(Protocol.C, "discard-local", "disconnect", "disconnect", false,
            Optional.empty(), false, "none");
        ConnectionSettings remote = with(Protocol.C, "discard-remote", "disconnect", "disconnect", false,
            Optional.empty(), false, "none");
        assertBothWays(local, remote, Optional.empty());
        assertBothWays(local, local, Optional.of("incompatible after-sb-0pri settings"));
        assertBothWays(remote, remote, Optional.of("incompatible after-sb-0pri settings"));
        assertBothWays(local, BASE, Optional.of("incompatible after-sb-0pri settings"));
    }

    @Test
    void discardMyDataOnOneSideOnly() {
        ConnectionSettings discard = with(Protocol.C, "disconnect", "disconnect", "disconnect", false,
            Optional.empty(), true, "none");
        assertBothWays(discard, BASE, Optional.empty());
        assertThat(discard.incompatibility(discard)).get().asString().contains("discard-my-data");
    }
}

package io.replicator.net.handshake;

import io.replicator.core.config.NetConfig;
import io.replicator.core.config.Protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * The net settings both peers of a connection must agree on (drbd.conf's P_PROTOCOL checks, plus compression).
 *
 * @param protocol          when a write completes
 * @param afterSb0pri       {@code after-sb-0pri}; discard-local here pairs with discard-remote on the peer
 * @param afterSb1pri       {@code after-sb-1pri}
 * @param afterSb2pri       {@code after-sb-2pri}
 * @param allowTwoPrimaries {@code allow-two-primaries}
 * @param dataIntegrityAlg  {@code data-integrity-alg}, if any
 * @param discardMyData     {@code --discard-my-data} for this connection attempt
 * @param compression       {@code compression}
 */
public record ConnectionSettings(Protocol protocol, String afterSb0pri, String afterSb1pri, String afterSb2pri,
                                 boolean allowTwoPrimaries, Optional<String> dataIntegrityAlg,
                                 boolean discardMyData, String compression) {
    private static final String DISCARD_LOCAL = "discard-local";
    private static final String DISCARD_REMOTE = "discard-remote";

    public ConnectionSettings {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(afterSb0pri, "afterSb0pri");
        Objects.requireNonNull(afterSb1pri, "afterSb1pri");
        Objects.requireNonNull(afterSb2pri, "afterSb2pri");
        Objects.requireNonNull(dataIntegrityAlg, "dataIntegrityAlg");
        Objects.requireNonNull(compression, "compression");
    }

    /** This side's settings from its net options. */
    public static ConnectionSettings of(NetConfig net, boolean discardMyData) {
        return new ConnectionSettings(net.protocol(), net.afterSb0pri(), net.afterSb1pri(), net.afterSb2pri(),
            net.allowTwoPrimaries(), net.dataIntegrityAlg(), discardMyData, net.compression());
    }

    /**
     * Why these settings (this side's) cannot work with {@code peer}'s, as "incompatible X settings"; empty when
     * they agree. The check is symmetric: both peers reach the same verdict.
     */
    public Optional<String> incompatibility(ConnectionSettings peer) {
        if (protocol != peer.protocol) {
            return incompatible("protocol");
        }
        if (!afterSb0pri.equals(mirrored(peer.afterSb0pri))) {
            return incompatible("after-sb-0pri");
        }
        if (!afterSb1pri.equals(peer.afterSb1pri)) {
            return incompatible("after-sb-1pri");
        }
        if (!afterSb2pri.equals(peer.afterSb2pri)) {
            return incompatible("after-sb-2pri");
        }
        if (allowTwoPrimaries != peer.allowTwoPrimaries) {
            return incompatible("allow-two-primaries");
        }
        if (!dataIntegrityAlg.equals(peer.dataIntegrityAlg)) {
            return incompatible("data-integrity-alg");
        }
        if (!compression.equals(peer.compression)) {
            return incompatible("compression");
        }
        if (discardMyData && peer.discardMyData) {
            return Optional.of("incompatible discard-my-data settings: set on both sides");
        }
        return Optional.empty();
    }

    /** What the peer's after-sb-0pri policy means seen from this side: local and remote swap. */
    private static String mirrored(String policy) {
        return switch (policy) {
            case DISCARD_LOCAL -> DISCARD_REMOTE;
            case DISCARD_REMOTE -> DISCARD_LOCAL;
            default -> policy;
        };
    }

    private static Optional<String> incompatible(String what) {
        return Optional.of("incompatible " + what + " settings");
    }
}

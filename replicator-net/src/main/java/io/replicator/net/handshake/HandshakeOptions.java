package io.replicator.net.handshake;

import io.replicator.core.config.NetConfig;

import java.time.Duration;
import java.util.Objects;

/**
 * What one side brings to a handshake.
 *
 * @param nodeId        this node's id
 * @param peerNodeId    the id the peer must have
 * @param net           the connection's net options
 * @param discardMyData {@code --discard-my-data} for this connection attempt
 * @param protocolMin   the oldest handshake/replication protocol version this side speaks
 * @param protocolMax   the newest version this side speaks
 * @param featureFlags  the optional features this side supports
 * @param timeout       the whole handshake (TLS included) must finish within this
 */
public record HandshakeOptions(int nodeId, int peerNodeId, NetConfig net, boolean discardMyData, int protocolMin,
                               int protocolMax, int featureFlags, Duration timeout) {
    /** The oldest protocol version this build speaks. */
    public static final int PROTOCOL_MIN = 1;
    /** The newest protocol version this build speaks. */
    public static final int PROTOCOL_MAX = 1;

    public HandshakeOptions {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(timeout, "timeout");
        if (protocolMin < 0 || protocolMax < protocolMin) {
            throw new IllegalArgumentException("protocol range " + protocolMin + ".." + protocolMax);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
        }
        CramHmac.of(net);
    }

    /** This build's protocol range, no optional features, and {@code connect-int} as the timeout. */
    public static HandshakeOptions of(int nodeId, int peerNodeId, NetConfig net, boolean discardMyData) {
        return new HandshakeOptions(nodeId, peerNodeId, net, discardMyData, PROTOCOL_MIN, PROTOCOL_MAX, 0,
            Duration.ofMillis(Math.max(net.connectIntMs(), net.timeoutMs())));
    }

    public HandshakeOptions withProtocolRange(int min, int max) {
        return new HandshakeOptions(nodeId, peerNodeId, net, discardMyData, min, max, featureFlags, timeout);
    }

    public HandshakeOptions withFeatureFlags(int flags) {
        return new HandshakeOptions(nodeId, peerNodeId, net, discardMyData, protocolMin, protocolMax, flags, timeout);
    }

    public HandshakeOptions withTimeout(Duration limit) {
        return new HandshakeOptions(nodeId, peerNodeId, net, discardMyData, protocolMin, protocolMax, featureFlags,
            limit);
    }
}

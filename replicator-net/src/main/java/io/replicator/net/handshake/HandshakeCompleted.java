package io.replicator.net.handshake;

/**
 * User event: the peer is authenticated and agrees on every shared setting; the handshake handlers have left the
 * pipeline and the channel now carries replication traffic.
 *
 * @param agreedVersion the protocol version both sides speak (the smaller of the two maxima)
 * @param features      the feature flags both sides support (AND of both)
 * @param peerNodeId    the peer's node id, as configured
 * @param peerSettings  what the peer announced
 */
public record HandshakeCompleted(int agreedVersion, int features, int peerNodeId, ConnectionSettings peerSettings) {
}

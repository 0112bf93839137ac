/**
 * The connection handshake that runs on a peer channel before any replication traffic: feature negotiation,
 * cram-hmac challenge/response and agreement on the net settings both peers must share, optionally inside TLS
 * with mutual certificate authentication. {@link io.replicator.net.handshake.HandshakePipeline} installs it;
 * {@link io.replicator.net.handshake.HandshakeHandler} reports the outcome as a
 * {@link io.replicator.net.handshake.HandshakeCompleted} or {@link io.replicator.net.handshake.HandshakeFailed}
 * user event.
 */
package io.replicator.net.handshake;

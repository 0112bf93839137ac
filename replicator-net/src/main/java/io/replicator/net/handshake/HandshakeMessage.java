package io.replicator.net.handshake;

/** One handshake message; the closed set of what may cross the wire before replication starts. */
sealed interface HandshakeMessage {
    /** The first message each way: which protocol versions and features the sender speaks, and who it is. */
    record Features(int protocolMin, int protocolMax, int featureFlags, int senderNodeId, int receiverNodeId,
                    String cramHmacAlg) implements HandshakeMessage {
    }

    /** The sender's random challenge. */
    record AuthChallenge(byte[] challenge) implements HandshakeMessage {
    }

    /** HMAC(secret, receiver's challenge ‖ be32(sender node id)). */
    record AuthResponse(byte[] digest) implements HandshakeMessage {
    }

    /** The settings both peers must agree on; sent only once the peer has been authenticated. */
    record Settings(ConnectionSettings settings) implements HandshakeMessage {
    }

    /** The sender refuses the connection and is about to close it. */
    record Refusal(String reason, boolean retryable) implements HandshakeMessage {
    }
}

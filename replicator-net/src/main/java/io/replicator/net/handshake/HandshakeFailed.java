package io.replicator.net.handshake;

/**
 * User event: the handshake failed and the channel is being closed.
 *
 * @param reason    what went wrong, for the log and the status output
 * @param retryable true for transient trouble (I/O, timeout, a peer that went away): reconnect after
 *                  {@code connect-int}; false for authentication, TLS and incompatible settings: go StandAlone
 */
public record HandshakeFailed(String reason, boolean retryable) {
}

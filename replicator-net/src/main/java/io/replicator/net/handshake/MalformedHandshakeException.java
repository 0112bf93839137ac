package io.replicator.net.handshake;

/** A handshake frame that does not parse: unknown kind, wrong length, bad field. */
final class MalformedHandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedHandshakeException(String message) {
        super(message);
    }
}

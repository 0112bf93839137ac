package io.replicator.net.peer;

import io.netty.handler.codec.DecoderException;
import io.replicator.net.protocol.IntegrityException;
import io.replicator.net.protocol.MessageType;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.util.Locale;

/**
 * What a peer link tells its listener and the log when a channel fails: the cause, classified (ping timeout, data
 * integrity, TLS, protocol, I/O), named with the channel it happened on and its root message. Pure.
 */
final class DisconnectReasons {
    private DisconnectReasons() {
    }

    /** "data channel" or "control channel". */
    static String channel(MessageType.Stream stream) {
        return stream.name().toLowerCase(Locale.ROOT) + " channel";
    }

    /** A disconnect reason for {@code cause} on {@code stream}, for the listener and the log. */
    static String of(MessageType.Stream stream, Throwable cause) {
        if (cause instanceof KeepAliveHandler.PingTimeoutException) {
            return cause.getMessage();
        }
        if (cause instanceof IntegrityException) {
            return "data integrity check failed on the " + channel(stream) + ": " + cause.getMessage();
        }
        if (root(cause) instanceof SSLException) {
            return "TLS error on the " + channel(stream) + ": " + describe(cause);
        }
        if (cause instanceof DecoderException) {
            return "protocol error on the " + channel(stream) + ": " + describe(cause);
        }
        if (cause instanceof IOException) {
            return "I/O error on the " + channel(stream) + ": " + describe(cause);
        }
        return "unexpected error on the " + channel(stream) + ": " + cause;
    }

    /** The root cause's message, or its class name when it has none. */
    static String describe(Throwable cause) {
        Throwable root = root(cause);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static Throwable root(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}

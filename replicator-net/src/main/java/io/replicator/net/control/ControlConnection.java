package io.replicator.net.control;

/** One client connection, as a streaming command sees it. */
public interface ControlConnection {
    /** Whether the client has gone away (closed its end, or the daemon is stopping). */
    boolean isClosed();
}

package io.replicator.core.state;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A handler call and its answer as events2 reports them: {@code call helper ...} when the handler starts and
 * {@code response helper ... status:N} when it exits (drbd.md §8, §10).
 *
 * @param resource the resource name
 * @param peerNodeId the peer the handler is about, if any ({@code peer-node-id})
 * @param peerName that peer's connection name ({@code conn-name}); ignored without {@code peerNodeId}
 * @param volume the volume the handler is about, if any
 * @param helper the handler's name, e.g. {@code before-resync-target}
 * @param status the exit status; empty for the call, present for the response
 */
public record HelperEvent(String resource, OptionalInt peerNodeId, String peerName, OptionalInt volume, String helper,
                          OptionalInt status) {
    /** Checks for nulls. */
    public HelperEvent {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(peerNodeId, "peerNodeId");
        Objects.requireNonNull(peerName, "peerName");
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(helper, "helper");
        Objects.requireNonNull(status, "status");
    }

    /** Whether this is the response (the handler has exited). */
    public boolean isResponse() {
        return status.isPresent();
    }
}

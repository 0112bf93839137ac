package io.replicator.core.replication;

import io.replicator.core.config.ConnectionConfig;
import io.replicator.core.config.HostConfig;

/**
 * The network as a resource sees it: one link per configured connection, which connects, keeps the connection alive
 * and reconnects on its own. Implemented in replicator-net; {@link #NONE} keeps every link unconnected (tests of a
 * single node).
 */
public interface PeerNetwork {
    /** A network where no peer is ever reached. */
    PeerNetwork NONE = (resource, connection, local, peer, events) -> new PeerLinkHandle() {
        @Override
        public void start(boolean discardMyData) {
        }

        @Override
        public void stop() {
        }
    };

    /**
     * A link for {@code connection} between this node ({@code local}) and {@code peer}, reporting to
     * {@code events}. It does nothing until {@link PeerLinkHandle#start}.
     *
     * @throws IllegalArgumentException if the connection's settings cannot work (e.g. unreadable TLS files)
     */
    PeerLinkHandle open(String resource, ConnectionConfig connection, HostConfig local, HostConfig peer,
                        PeerEvents events);
}

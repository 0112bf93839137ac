package io.replicator.net.replication;

import io.replicator.core.config.ConnectionConfig;
import io.replicator.core.config.HostConfig;
import io.replicator.core.replication.PeerEvents;
import io.replicator.core.replication.PeerLinkHandle;
import io.replicator.core.replication.PeerNetwork;
import io.replicator.net.handshake.TlsContexts;
import io.replicator.net.peer.PeerLink;
import io.replicator.net.peer.PeerLinkOptions;
import io.replicator.net.peer.PeerTransport;

/**
 * The core's {@link PeerNetwork} over real sockets: each link is a {@link PeerLink} of one {@link PeerTransport},
 * and each of its sessions is driven by a {@link ReplicationSession}.
 */
public final class NetworkPeers implements PeerNetwork {
    private final PeerTransport transport;

    public NetworkPeers(PeerTransport transport) {
        this.transport = transport;
    }

    @Override
    public PeerLinkHandle open(String resource, ConnectionConfig connection, HostConfig local, HostConfig peer,
                               PeerEvents events) {
        // Fail now, at connect, on settings that can never work (missing TLS files), rather than on every retry.
        TlsContexts.server(connection.net());
        TlsContexts.client(connection.net());
        return new PeerLinkHandle() {
            private PeerLink link;

            @Override
            public synchronized void start(boolean discardMyData) {
                if (link != null && link.isRunning()) {
                    return;
                }
                PeerLinkOptions options = PeerLinkOptions.of(connection, local.name(), local.nodeId(), peer.nodeId(),
                    discardMyData);
                link = transport.link(options, new ReplicationSession(resource + " with " + peer.name(), events,
                    connection.net()), transport.loopFor(resource));
                link.start();
            }

            @Override
            public synchronized void stop() {
                if (link != null) {
                    link.stop();
                    link = null;
                }
            }
        };
    }
}

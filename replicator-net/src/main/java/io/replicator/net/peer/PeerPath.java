package io.replicator.net.peer;

import io.replicator.core.config.Address;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One network path of a peer link, seen from this node: where this node listens (and binds its outgoing sockets) and
 * where the peer listens.
 *
 * @param local this node's address on the path
 * @param peer  the peer's address on the path
 */
public record PeerPath(Address local, Address peer) {
    public PeerPath {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(peer, "peer");
    }

    /** The socket address this node listens on. IP literals only: no name lookup happens. */
    InetSocketAddress localSocket() {
        return new InetSocketAddress(local.host(), local.port());
    }

    /** The local IP with port 0: the source address of sockets this node dials on this path. */
    InetSocketAddress localSource() {
        return new InetSocketAddress(local.host(), 0);
    }

    /** The socket address the dialer connects to. */
    InetSocketAddress peerSocket() {
        return new InetSocketAddress(peer.host(), peer.port());
    }

    @Override
    public String toString() {
        return local.endpoint() + " -> " + peer.endpoint();
    }
}

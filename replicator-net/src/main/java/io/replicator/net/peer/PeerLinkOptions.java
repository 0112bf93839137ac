package io.replicator.net.peer;

import io.replicator.core.config.ConnectionConfig;
import io.replicator.core.config.NetConfig;
import io.replicator.core.config.PathConfig;
import io.replicator.net.handshake.HandshakeOptions;
import io.replicator.net.protocol.Compression;
import io.replicator.net.protocol.DigestKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link PeerLink} needs: who is at each end, the paths to try in order, and the connection's net options.
 * The constructor checks everything that can be checked without the network, so that a bad configuration fails when
 * the link is made rather than at the first connection attempt.
 *
 * @param localNodeId   this node's id (0..255; the configuration allows 0..31)
 * @param peerNodeId    the peer's id; must differ from {@code localNodeId}
 * @param paths         the paths, at least one, in the order the dialer tries them
 * @param net           the connection's effective net options
 * @param discardMyData {@code --discard-my-data} for this connection, announced in the handshake
 */
public record PeerLinkOptions(int localNodeId, int peerNodeId, List<PeerPath> paths, NetConfig net,
                              boolean discardMyData) {
    public PeerLinkOptions {
        Objects.requireNonNull(net, "net");
        paths = List.copyOf(paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("a peer link needs at least one path");
        }
        if (localNodeId == peerNodeId) {
            throw new IllegalArgumentException("a peer link from node " + localNodeId + " to itself");
        }
        if (localNodeId < 0 || localNodeId > 0xFF || peerNodeId < 0 || peerNodeId > 0xFF) {
            throw new IllegalArgumentException("node ids " + localNodeId + ", " + peerNodeId + " outside [0, 255]");
        }
        DigestKind.of(net.dataIntegrityAlg());
        Compression.of(net.compression());
        HandshakeOptions.of(localNodeId, peerNodeId, net, discardMyData);
    }

    /**
     * The options of {@code connection} as seen from {@code localHost}: each path's endpoint of {@code localHost}
     * is local, the other end is the peer's.
     *
     * @throws IllegalArgumentException when {@code localHost} is not an end of the connection
     */
    public static PeerLinkOptions of(ConnectionConfig connection, String localHost, int localNodeId, int peerNodeId,
                                     boolean discardMyData) {
        if (!connection.connects(localHost)) {
            throw new IllegalArgumentException(localHost + " is not an end of the connection " + connection.hostA()
                + " - " + connection.hostB());
        }
        List<PeerPath> paths = new ArrayList<>();
        for (PathConfig path : connection.paths()) {
            paths.add(new PeerPath(path.of(localHost).address(), path.peerOf(localHost).address()));
        }
        return new PeerLinkOptions(localNodeId, peerNodeId, paths, connection.net(), discardMyData);
    }

    /**
     * Whether this node dials: the node with the higher id dials every connection of the pair, the other only
     * accepts, so the two sockets of a session never cross.
     */
    public boolean dials() {
        return localNodeId > peerNodeId;
    }

    /** The handshake options for each channel of this link. */
    HandshakeOptions handshake() {
        return HandshakeOptions.of(localNodeId, peerNodeId, net, discardMyData);
    }

    Compression compression() {
        return Compression.of(net.compression());
    }

    DigestKind digest() {
        return DigestKind.of(net.dataIntegrityAlg());
    }
}

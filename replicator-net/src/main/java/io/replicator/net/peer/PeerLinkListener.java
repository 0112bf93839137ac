package io.replicator.net.peer;

import io.replicator.net.handshake.HandshakeCompleted;
import io.replicator.net.protocol.PeerMessage;

/**
 * What a {@link PeerLink} tells its user (the replication engine of one resource for one peer). Every call for one
 * link comes on that link's event loop, one at a time, so a listener needs no locking of its own for link events;
 * it must not block. For one session the calls come in the order {@code connected}, {@code received}*,
 * {@code disconnected}. A listener that throws is logged; the link carries on.
 */
public interface PeerLinkListener {
    /** Both channels of a new session completed the handshake; {@code handshake} is the data channel's outcome. */
    void connected(PeerSession session, HandshakeCompleted handshake);

    /**
     * A message arrived, in order per channel (data and control are independent). The listener owns the message: it
     * releases a {@link io.netty.util.ReferenceCounted} one. Pings, ping acks and disconnects are handled by the
     * transport and never delivered.
     */
    void received(PeerSession session, PeerMessage message);

    /** The session ended, for {@code reason}; called once for each session that was connected. */
    void disconnected(PeerSession session, String reason);

    /**
     * The link stopped for good: the handshake failed in a way that retrying cannot fix (authentication, TLS,
     * incompatible settings). The resource goes StandAlone; {@link PeerLink#start()} tries again.
     */
    void refused(String reason);
}

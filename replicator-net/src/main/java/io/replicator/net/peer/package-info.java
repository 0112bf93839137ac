/**
 * Peer connections, the transport under replication: a {@link io.replicator.net.peer.PeerTransport} per daemon
 * makes a {@link io.replicator.net.peer.PeerLink} per peer, which keeps a
 * {@link io.replicator.net.peer.PeerSession} (a data and a control TCP channel, each through the handshake) up and
 * reports to a {@link io.replicator.net.peer.PeerLinkListener}. The higher node id dials; a 16-byte preamble routes
 * accepted sockets to their link and pairs the two channels; keep-alive pings run on the control channel. No
 * replication logic lives here: the package moves {@link io.replicator.net.protocol.PeerMessage}s.
 */
package io.replicator.net.peer;

/**
 * The adapter between the core's replication state machines and the peer transport: {@link
 * io.replicator.net.replication.NetworkPeers} implements the core's {@code PeerNetwork} over
 * {@link io.replicator.net.peer.PeerTransport}, turning transfer-log actions into frames and frames into events.
 */
package io.replicator.net.replication;

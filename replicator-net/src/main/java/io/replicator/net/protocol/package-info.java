/**
 * The peer-to-peer replication wire format: frames, the message set, and the Netty codec that turns one into the
 * other (compression and integrity digests included), independent of connections and handshake.
 */
package io.replicator.net.protocol;

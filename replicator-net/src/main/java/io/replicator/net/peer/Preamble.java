package io.replicator.net.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.replicator.net.protocol.MessageType;

/**
 * The 16 bytes a dialer sends first on every new TCP connection, in clear, before TLS and the handshake. Big-endian:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     magic 0x52504C50 "RPLP"                   |  0
 * +---------------+---------------+---------------+---------------+
 * |  version (1)  | stream 0 / 1  | sender node   | receiver node |  4
 * +---------------+---------------+---------------+---------------+
 * |                     session nonce (u64)                       |  8
 * +                                                               +
 * |                                                               | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>It lets the accepting side route a socket to the right {@link PeerLink} before the handshake (several peers
 * share one listening port) and pair the data and control connections of one session (same nonce). It proves
 * nothing: the handshake that follows authenticates the peer.
 *
 * @param stream         which channel this connection is
 * @param senderNodeId   the dialer's node id (0..255)
 * @param receiverNodeId the node id the dialer expects to reach (0..255)
 * @param nonce          random per dial attempt, the same on the data and the control connection of one session
 */
record Preamble(MessageType.Stream stream, int senderNodeId, int receiverNodeId, long nonce) {
    /** "RPLP" in ASCII. */
    static final int MAGIC = 0x52504C50;
    /** The only preamble version so far. */
    static final int VERSION = 1;
    /** Length of the preamble on the wire. */
    static final int BYTES = 16;

    Preamble {
        checkNodeId(senderNodeId);
        checkNodeId(receiverNodeId);
    }

    /** The preamble as a new buffer of {@link #BYTES} bytes. */
    ByteBuf encode(ByteBufAllocator alloc) {
        return alloc.buffer(BYTES, BYTES).writeInt(MAGIC).writeByte(VERSION).writeByte(stream.ordinal())
            .writeByte(senderNodeId).writeByte(receiverNodeId).writeLong(nonce);
    }

    /**
     * Reads a preamble from the first {@link #BYTES} readable bytes of {@code in}.
     *
     * @throws MalformedPreambleException for a wrong magic, version or stream
     */
    static Preamble decode(ByteBuf in) throws MalformedPreambleException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new MalformedPreambleException("bad preamble magic 0x" + Integer.toHexString(magic));
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new MalformedPreambleException("unsupported preamble version " + version);
        }
        int stream = in.readUnsignedByte();
        if (stream >= MessageType.Stream.values().length) {
            throw new MalformedPreambleException("unknown stream " + stream);
        }
        return new Preamble(MessageType.Stream.values()[stream], in.readUnsignedByte(), in.readUnsignedByte(),
            in.readLong());
    }

    private static void checkNodeId(int nodeId) {
        if (nodeId < 0 || nodeId > 0xFF) {
            throw new IllegalArgumentException("node id " + nodeId + " outside [0, 255]");
        }
    }

    /** Bytes at the start of an accepted connection that are not a preamble of this version. */
    static final class MalformedPreambleException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedPreambleException(String message) {
            super(message);
        }
    }
}

package io.replicator.net.handshake;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Splits the handshake stream into frames of kind + body (length prefix stripped). A length over
 * {@link HandshakeDescriptor#MAX_FRAME_BYTES} fails at once, before the body arrives. Removed together with
 * {@link HandshakeHandler}; whatever follows the last handshake frame then goes on to the next handler.
 */
final class HandshakeFrameDecoder extends LengthFieldBasedFrameDecoder {
    HandshakeFrameDecoder() {
        super(HandshakeDescriptor.LENGTH_BYTES + HandshakeDescriptor.MAX_FRAME_BYTES, 0,
            HandshakeDescriptor.LENGTH_BYTES, 0, HandshakeDescriptor.LENGTH_BYTES, true);
    }
}

package io.replicator.net.peer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First handler of a dialed channel: when the connection is up it writes the {@link Preamble} straight to the socket,
 * leaves the pipeline, and only then lets {@code channelActive} reach TLS and the handshake. Being first is what keeps
 * the preamble in clear and ahead of the TLS ClientHello or the first handshake frame.
 */
final class PreambleWriter extends ChannelInboundHandlerAdapter {
    private final Preamble preamble;

    PreambleWriter(Preamble preamble) {
        this.preamble = preamble;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(preamble.encode(ctx.alloc()));
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }
}

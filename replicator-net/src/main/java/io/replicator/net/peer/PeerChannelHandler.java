package io.replicator.net.peer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.replicator.net.handshake.HandshakeCompleted;
import io.replicator.net.handshake.HandshakeFailed;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;

import java.util.concurrent.RejectedExecutionException;

/**
 * Last handler of each peer channel, from connection to close. It installs the replication codec when the handshake
 * completes, and reports everything else to its {@link PeerLink} tagged with the {@link Pairing} and stream it
 * belongs to: the handshake outcome, each decoded message, a failure, the close. It decides nothing: the link
 * does, on its own event loop, and drops what comes from a pairing that is no longer current. Nothing thrown here
 * reaches the tail of the pipeline. One per channel; not sharable.
 */
final class PeerChannelHandler extends ChannelInboundHandlerAdapter {
    private final PeerLink link;
    private final Pairing pairing;
    private final MessageType.Stream stream;

    PeerChannelHandler(PeerLink link, Pairing pairing, MessageType.Stream stream) {
        this.link = link;
        this.pairing = pairing;
        this.stream = stream;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof HandshakeCompleted completed) {
            PeerPipeline.addReplication(ctx.pipeline(), ctx.name(), stream, link.options());
            link.onHandshakeCompleted(pairing, stream, completed);
        } else if (event instanceof HandshakeFailed failed) {
            link.onHandshakeFailed(pairing, stream, failed);
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PeerMessage message) {
            link.onMessage(pairing, stream, message);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        link.onFailure(pairing, stream, cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // One task later: a decoder fires channelInactive before the exception of a stream that ended inside a frame
        // (in the same call stack), and that exception is the better reason.
        try {
            ctx.executor().execute(() -> link.onChannelClosed(pairing, stream));
        } catch (RejectedExecutionException shuttingDown) {
            link.onChannelClosed(pairing, stream);
        }
    }
}

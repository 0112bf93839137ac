package io.replicator.net.handshake;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;

import java.util.Optional;

/**
 * Puts the handshake at the front of a peer channel's pipeline: {@code tls} (an {@link io.netty.handler.ssl.SslHandler},
 * when TLS is on), {@code handshake-frames}, {@code handshake}. Call it from a {@code ChannelInitializer} before adding
 * the replication handlers; the handshake handlers leave once {@link HandshakeCompleted} has been fired.
 */
public final class HandshakePipeline {
    /** The SslHandler's name; it stays for the life of the channel. */
    public static final String TLS = "tls";
    /** The handshake frame decoder's name. */
    public static final String FRAMES = "handshake-frames";
    /** The {@link HandshakeHandler}'s name. */
    public static final String HANDSHAKE = "handshake";

    private HandshakePipeline() {
    }

    /**
     * Adds the handshake (and TLS, if {@code tls} is present) first in {@code channel}'s pipeline. The SslContext
     * decides the side: {@link TlsContexts#server} on accepted channels, {@link TlsContexts#client} on connected ones.
     */
    public static void addTo(Channel channel, HandshakeOptions options, Optional<SslContext> tls) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addFirst(FRAMES, new HandshakeFrameDecoder());
        tls.ifPresent(context -> pipeline.addFirst(TLS, context.newHandler(channel.alloc())));
        // Last: on an accepted channel, which is already active, the handler starts as soon as it is added.
        pipeline.addAfter(FRAMES, HANDSHAKE, new HandshakeHandler(options));
    }
}

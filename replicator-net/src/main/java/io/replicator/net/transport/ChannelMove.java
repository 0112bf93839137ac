package io.replicator.net.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Moves a connected channel to another event loop of the same group, between two phases of its protocol: an accepted
 * peer socket after its preamble (to its link's loop), an NBD connection after its handshake (to its resource's loop).
 * So everything of one link or resource runs on one thread, while the first phase — which may wait for other threads
 * — runs elsewhere.
 */
public final class ChannelMove {
    private ChannelMove() {
    }

    /**
     * On {@code channel}'s event loop, with reading off ({@code autoRead} false) and the first phase's handlers gone:
     * moves the channel to {@code home} unless it is there already; there {@code install} adds the next phase's
     * handlers, {@code rest} (bytes that arrived after the first phase, may be null; this call takes it over) goes in
     * at the head of the pipeline, and reading resumes. If the channel closed meanwhile, cannot move, or
     * {@code install} declines (false) or throws, {@code rest} is released, {@code failed} told why (null when it
     * closed or {@code install} declined) and the channel closed.
     */
    public static void to(EventLoop home, Channel channel, ByteBuf rest, Predicate<Channel> install,
                          Consumer<String> failed) {
        if (channel.eventLoop() == home) {
            install(channel, rest, install, failed);
            return;
        }
        if (home.isShuttingDown()) {
            abandon(channel, rest, failed, "the event loop it belongs on is shutting down");
            return;
        }
        channel.deregister().addListener(deregistered -> {
            if (!deregistered.isSuccess()) {
                abandon(channel, rest, failed, String.valueOf(deregistered.cause()));
                return;
            }
            // A loop that shut down meanwhile closes the channel itself (and cannot run this listener).
            home.register(channel).addListener(registered -> {
                if (registered.isSuccess()) {
                    install(channel, rest, install, failed);
                } else {
                    abandon(channel, rest, failed, String.valueOf(registered.cause()));
                }
            });
        });
    }

    private static void install(Channel channel, ByteBuf rest, Predicate<Channel> install, Consumer<String> failed) {
        if (!channel.isActive()) {
            abandon(channel, rest, failed, null);
            return;
        }
        try {
            if (!install.test(channel)) {
                abandon(channel, rest, failed, null);
                return;
            }
        } catch (RuntimeException e) {
            abandon(channel, rest, failed, "cannot set up the connection: " + e);
            return;
        }
        if (rest != null && rest.isReadable()) {
            channel.pipeline().fireChannelRead(rest);
            channel.pipeline().fireChannelReadComplete();
        } else if (rest != null) {
            rest.release();
        }
        channel.config().setAutoRead(true);
    }

    /** {@code failed} first (it logs why), then the close: whoever sees the close finds the reason logged. */
    private static void abandon(Channel channel, ByteBuf rest, Consumer<String> failed, String why) {
        ReferenceCountUtil.release(rest);
        try {
            failed.accept(why);
        } finally {
            channel.close();
        }
    }
}

package io.replicator.net.peer;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.replicator.core.config.NetConfig;
import io.replicator.net.handshake.HandshakePipeline;
import io.replicator.net.protocol.FrameDecoder;
import io.replicator.net.protocol.MessageDecoder;
import io.replicator.net.protocol.MessageEncoder;
import io.replicator.net.protocol.MessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The handler names and socket settings of a peer channel, and the replication handlers that replace the handshake.
 * A channel's pipeline after the handshake, head to tail:
 *
 * <pre>
 *   [tls] flush frames messages encoder [idle keep-alive] peer
 * </pre>
 *
 * {@code idle} and {@code keep-alive} are on the control channel only.
 */
final class PeerPipeline {
    private static final System.Logger LOG = System.getLogger(PeerPipeline.class.getName());
    /** {@link PreambleWriter} on a dialed channel, until the connection is up. */
    static final String PREAMBLE = "preamble";
    /** {@link FlushConsolidationHandler}: right after TLS (it batches the flushes TLS would turn into records). */
    static final String FLUSH = "flush";
    /** {@link FrameDecoder}. */
    static final String FRAMES = "frames";
    /** {@link MessageDecoder}. */
    static final String MESSAGES = "messages";
    /** {@link MessageEncoder}. */
    static final String ENCODER = "encoder";
    /** {@link IdleStateHandler}, control channel only. */
    static final String IDLE = "idle";
    /** {@link KeepAliveHandler}, control channel only. */
    static final String KEEP_ALIVE = "keep-alive";
    /** {@link PeerChannelHandler}, always last. */
    static final String PEER = "peer";

    /** Writability of a channel flips at 8 MiB queued and back at 1 MiB: a few 1 MiB frames in flight. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 8 << 20);
    /** Socket reads grow to 1 MiB, so a large data frame arrives in a few reads rather than 64 KiB at a time. */
    static final RecvByteBufAllocator RECEIVE_BUFFERS = new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 1 << 20);

    private PeerPipeline() {
    }

    /**
     * Adds the replication codec (and keep-alive on the control channel) in front of {@code before}; called while the
     * handshake fires {@code HandshakeCompleted}, so that bytes after the last handshake frame reach the codec.
     */
    static void addReplication(ChannelPipeline pipeline, String before, MessageType.Stream stream,
                               PeerLinkOptions options) {
        applySocketBuffers(pipeline.channel(), options.net());
        FlushConsolidationHandler flush = new FlushConsolidationHandler(256, true);
        if (pipeline.get(HandshakePipeline.TLS) != null) {
            pipeline.addAfter(HandshakePipeline.TLS, FLUSH, flush);
        } else {
            pipeline.addFirst(FLUSH, flush);
        }
        pipeline.addBefore(before, FRAMES, new FrameDecoder());
        pipeline.addBefore(before, MESSAGES, new MessageDecoder(options.digest()));
        pipeline.addBefore(before, ENCODER, new MessageEncoder(options.compression(), options.digest()));
        if (stream == MessageType.Stream.CONTROL) {
            pipeline.addBefore(before, IDLE, new IdleStateHandler(options.net().pingIntMs(), 0, 0,
                TimeUnit.MILLISECONDS));
            pipeline.addBefore(before, KEEP_ALIVE, new KeepAliveHandler(options.net().pingTimeoutMs()));
        }
    }

    /**
     * Sets the socket's buffers to {@code sndbuf-size} and {@code rcvbuf-size}, as DRBD does for its sockets; 0 leaves
     * the kernel's auto-tuning on. Linux caps a size asked for by a process at {@code net.core.wmem_max} /
     * {@code net.core.rmem_max}: a size it cut is logged, with the sysctl to raise, and returned.
     */
    static List<String> applySocketBuffers(Channel channel, NetConfig net) {
        List<String> cut = new ArrayList<>(2);
        setBuffer(channel, ChannelOption.SO_SNDBUF, net.sndbufSize(), "sndbuf-size", "net.core.wmem_max", cut);
        setBuffer(channel, ChannelOption.SO_RCVBUF, net.rcvbufSize(), "rcvbuf-size", "net.core.rmem_max", cut);
        return cut;
    }

    private static void setBuffer(Channel channel, ChannelOption<Integer> option, int bytes, String keyword,
                                  String sysctl, List<String> cut) {
        if (bytes == 0 || !channel.config().setOption(option, bytes)) {
            return;
        }
        Integer doubled = channel.config().getOption(option);
        // Linux keeps twice the size asked for (half of it for its own bookkeeping) and reports the doubled figure.
        if (doubled != null && doubled / 2 < bytes) {
            String message = keyword + " " + bytes + ": the kernel allows " + doubled / 2 + " bytes; raise " + sysctl
                + " to allow more";
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}", channel.remoteAddress(), message);
            cut.add(message);
        }
    }
}

package io.replicator.net.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Drives one side of the connection handshake; both sides run the same steps at the same time:
 *
 * <pre>
 *   WAITING --(channel active, or TLS done)--> FEATURES --(auth)--> CHALLENGE --> RESPONSE --> SETTINGS --> DONE
 *                                                  \-----------(no auth)------------------------/
 * </pre>
 *
 * <ol>
 *   <li>FEATURES: protocol range, feature flags and node ids go out; agreed version = min of the maxima, features
 *       are ANDed, the node ids must be the configured ones, both sides must agree on authentication.</li>
 *   <li>CHALLENGE/RESPONSE (only with {@code cram-hmac-alg}): 64 random bytes each way; the answer is
 *       HMAC(secret, peer challenge ‖ be32(own node id)), checked against HMAC(secret, own challenge ‖ be32(peer
 *       node id)).</li>
 *   <li>SETTINGS: sent only after the peer is authenticated; both sides check {@link ConnectionSettings}.</li>
 * </ol>
 *
 * On success it fires {@link HandshakeCompleted} and then removes itself and its {@link HandshakeFrameDecoder}
 * (bytes after the last handshake frame go to the next handler). On failure it fires {@link HandshakeFailed}, tells
 * the peer why with a REFUSAL where the stream still works, and closes the channel. It is never half-connected:
 * nothing but handshake frames passes before DONE. One instance per channel; not sharable.
 */
public final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(HandshakeHandler.class.getName());

    /** Where the handshake is. */
    private enum Stage {
        /** Waiting for the channel to become active or for TLS to finish. */
        WAITING,
        /** Our FEATURES went out; waiting for the peer's. */
        FEATURES,
        /** Our challenge went out; waiting for the peer's. */
        CHALLENGE,
        /** Our response went out; waiting for the peer's. */
        RESPONSE,
        /** Our SETTINGS went out; waiting for the peer's. */
        SETTINGS,
        /** Completed or failed; a final state. */
        DONE
    }

    private final HandshakeOptions options;
    private final Optional<CramHmac> auth;
    private final ConnectionSettings own;
    private final SecureRandom random;
    private Stage stage = Stage.WAITING;
    private byte[] ownChallenge;
    private int agreedVersion;
    private int features;
    private ScheduledFuture<?> timer;

    /** @throws IllegalArgumentException when the authentication settings cannot work (see {@link CramHmac}) */
    public HandshakeHandler(HandshakeOptions options) {
        this(options, new SecureRandom());
    }

    HandshakeHandler(HandshakeOptions options, SecureRandom random) {
        this.options = options;
        this.auth = CramHmac.of(options.net());
        this.own = ConnectionSettings.of(options.net(), options.discardMyData());
        this.random = random;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent tls) {
            if (tls.isSuccess()) {
                if (stage == Stage.WAITING) {
                    start(ctx);
                }
            } else {
                fail(ctx, tlsFailure(tls.cause()), false);
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, "connection closed during handshake", true);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (stage == Stage.DONE) {
            return;
        }
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof SSLException) {
            fail(ctx, tlsFailure(root), false);
        } else if (cause instanceof DecoderException) {
            fail(ctx, "malformed handshake frame: " + describe(cause), true);
        } else {
            fail(ctx, "I/O error during handshake: " + describe(cause), true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (stage == Stage.DONE) {
                return;
            }
            if (!(msg instanceof ByteBuf frame)) {
                fail(ctx, "unexpected " + msg.getClass().getSimpleName() + " during handshake", true);
                return;
            }
            handle(ctx, HandshakeCodec.decode(frame));
        } catch (MalformedHandshakeException e) {
            fail(ctx, "malformed handshake message: " + e.getMessage(), true);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx) {
        if (timer == null && stage != Stage.DONE) {
            long limitMs = options.timeout().toMillis();
            timer = ctx.executor().schedule(() -> fail(ctx, "handshake timed out after " + limitMs + " ms", true),
                limitMs, TimeUnit.MILLISECONDS);
        }
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (stage == Stage.WAITING && (tls == null || tls.handshakeFuture().isSuccess())) {
            start(ctx);
        }
    }

    private void start(ChannelHandlerContext ctx) {
        stage = Stage.FEATURES;
        send(ctx, new HandshakeMessage.Features(options.protocolMin(), options.protocolMax(), options.featureFlags(),
            options.nodeId(), options.peerNodeId(), auth.map(CramHmac::name).orElse("")));
    }

    private void handle(ChannelHandlerContext ctx, HandshakeMessage message) {
        if (message instanceof HandshakeMessage.Refusal refusal) {
            fail(ctx, "refused by peer: " + printable(refusal.reason()), refusal.retryable(), false);
            return;
        }
        if (stage == Stage.WAITING) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls == null || !tls.handshakeFuture().isSuccess()) {
                fail(ctx, "handshake message before TLS completed", true);
                return;
            }
            start(ctx);
        }
        if (stage == Stage.FEATURES && message instanceof HandshakeMessage.Features peer) {
            onFeatures(ctx, peer);
        } else if (stage == Stage.CHALLENGE && message instanceof HandshakeMessage.AuthChallenge challenge) {
            onChallenge(ctx, challenge.challenge());
        } else if (stage == Stage.RESPONSE && message instanceof HandshakeMessage.AuthResponse response) {
            onResponse(ctx, response.digest());
        } else if (stage == Stage.SETTINGS && message instanceof HandshakeMessage.Settings settings) {
            onSettings(ctx, settings.settings());
        } else {
            fail(ctx, "unexpected " + message.getClass().getSimpleName() + " in handshake stage " + stage, true);
        }
    }

    private void onFeatures(ChannelHandlerContext ctx, HandshakeMessage.Features peer) {
        if (peer.senderNodeId() != options.peerNodeId() || peer.receiverNodeId() != options.nodeId()) {
            fail(ctx, "node ids not as configured: peer is node " + peer.senderNodeId() + " and expects node "
                + peer.receiverNodeId() + ", but this is node " + options.nodeId() + " expecting node "
                + options.peerNodeId(), true);
            return;
        }
        if (peer.protocolMax() < options.protocolMin() || options.protocolMax() < peer.protocolMin()
            || peer.protocolMin() > peer.protocolMax()) {
            fail(ctx, "incompatible protocol versions: this side speaks " + options.protocolMin() + ".."
                + options.protocolMax() + ", the peer " + peer.protocolMin() + ".." + peer.protocolMax(), false);
            return;
        }
        agreedVersion = Math.min(options.protocolMax(), peer.protocolMax());
        features = options.featureFlags() & peer.featureFlags();
        String peerAlg = CramHmac.canonical(peer.cramHmacAlg());
        if (auth.isPresent() && peerAlg.isEmpty()) {
            fail(ctx, "peer did not authenticate: cram-hmac-alg " + auth.get().name() + " is required", false);
        } else if (auth.isEmpty() && !peerAlg.isEmpty()) {
            fail(ctx, "authentication required by peer (cram-hmac-alg " + printable(peerAlg)
                + ") but not configured here", false);
        } else if (auth.isPresent() && !auth.get().name().equals(peerAlg)) {
            fail(ctx, "incompatible cram-hmac-alg settings", false);
        } else if (auth.isPresent()) {
            ownChallenge = new byte[HandshakeDescriptor.CHALLENGE_BYTES];
            random.nextBytes(ownChallenge);
            stage = Stage.CHALLENGE;
            send(ctx, new HandshakeMessage.AuthChallenge(ownChallenge.clone()));
        } else {
            sendSettings(ctx);
        }
    }

    private void onChallenge(ChannelHandlerContext ctx, byte[] peerChallenge) {
        if (Arrays.equals(peerChallenge, ownChallenge)) {
            fail(ctx, "Peer presented the same challenge!", false);
            return;
        }
        stage = Stage.RESPONSE;
        send(ctx, new HandshakeMessage.AuthResponse(auth.orElseThrow().response(peerChallenge, options.nodeId())));
    }

    private void onResponse(ChannelHandlerContext ctx, byte[] digest) {
        if (!auth.orElseThrow().verify(ownChallenge, options.peerNodeId(), digest)) {
            fail(ctx, "Authentication of peer failed", false);
            return;
        }
        sendSettings(ctx);
    }

    private void sendSettings(ChannelHandlerContext ctx) {
        stage = Stage.SETTINGS;
        send(ctx, new HandshakeMessage.Settings(own));
    }

    private void onSettings(ChannelHandlerContext ctx, ConnectionSettings peer) {
        Optional<String> problem = own.incompatibility(peer);
        if (problem.isPresent()) {
            fail(ctx, problem.get(), false);
            return;
        }
        stage = Stage.DONE;
        cancelTimer();
        LOG.log(System.Logger.Level.INFO, "handshake with node {0} at {1} done: protocol version {2}, features {3}",
            options.peerNodeId(), ctx.channel().remoteAddress(), agreedVersion, features);
        ChannelPipeline pipeline = ctx.pipeline();
        ctx.fireUserEventTriggered(new HandshakeCompleted(agreedVersion, features, options.peerNodeId(), peer));
        pipeline.remove(this);
        if (pipeline.get(HandshakeFrameDecoder.class) != null) {
            pipeline.remove(HandshakeFrameDecoder.class);
        }
    }

    private void send(ChannelHandlerContext ctx, HandshakeMessage message) {
        ctx.writeAndFlush(HandshakeCodec.encode(ctx.alloc(), message)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail(ctx, "I/O error during handshake: " + describe(f.cause()), true);
            }
        });
    }

    private void fail(ChannelHandlerContext ctx, String reason, boolean retryable) {
        fail(ctx, reason, retryable, true);
    }

    private void fail(ChannelHandlerContext ctx, String reason, boolean retryable, boolean tellPeer) {
        if (stage == Stage.DONE) {
            return;
        }
        boolean streamUp = stage != Stage.WAITING;
        stage = Stage.DONE;
        cancelTimer();
        LOG.log(System.Logger.Level.WARNING, "handshake with node {0} at {1} failed ({2}): {3}",
            options.peerNodeId(), ctx.channel().remoteAddress(), retryable ? "will retry" : "standalone", reason);
        ctx.fireUserEventTriggered(new HandshakeFailed(reason, retryable));
        if (tellPeer && streamUp && ctx.channel().isActive()) {
            ctx.writeAndFlush(HandshakeCodec.encode(ctx.alloc(), new HandshakeMessage.Refusal(reason, retryable)))
                .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static String tlsFailure(Throwable cause) {
        boolean certificates = cause instanceof SSLHandshakeException
            || cause.getCause() instanceof SSLHandshakeException;
        return "TLS handshake failed: " + describe(cause)
            + (certificates ? " (each node's tls-certificate must be signed by the other's tls-ca)" : "");
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return printable(text);
    }

    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }
}

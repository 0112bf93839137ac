package io.replicator.net.handshake;

import io.replicator.net.testing.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.replicator.core.config.NetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** One handshake side in an EmbeddedChannel, fed by a scripted (and hostile) peer. This side is node 1, the peer 2. */
@Timeout(30)
@ExtendWith(NettyLeakCheck.class)
class HostilePeerTest {
    static final NetConfig AUTH = NetConfig.of(Map.of("cram-hmac-alg", "sha1", "shared-secret", "s3cret"));

    final List<Object> events = new CopyOnWriteArrayList<>();
    EmbeddedChannel channel;

    EmbeddedChannel open(NetConfig net) {
        channel = new EmbeddedChannel(new HandshakeFrameDecoder(),
            new HandshakeHandler(HandshakeOptions.of(1, 2, net, false).withTimeout(Duration.ofSeconds(10))),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    events.add(event);
                }
            });
        return channel;
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    HandshakeMessage sent() throws MalformedHandshakeException {
        ByteBuf frame = channel.readOutbound();
        try {
            frame.skipBytes(HandshakeDescriptor.LENGTH_BYTES);
            return HandshakeCodec.decode(frame);
        } finally {
            frame.release();
        }
    }

    void receive(HandshakeMessage message) {
        channel.writeInbound(HandshakeCodec.encode(ByteBufAllocator.DEFAULT, message));
    }

    HandshakeFailed failure() {
        channel.checkException();
        assertThat(events).hasSize(1).first().isInstanceOf(HandshakeFailed.class);
        assertThat(channel.isOpen()).isFalse();
        return (HandshakeFailed) events.get(0);
    }

    @Test
    void aPeerEchoingTheChallengeIsRefused() throws Exception {
        open(AUTH);
        assertThat(sent()).isInstanceOf(HandshakeMessage.Features.class);
        receive(new HandshakeMessage.Features(1, 1, 0, 2, 1, "sha1"));
        HandshakeMessage.AuthChallenge challenge = (HandshakeMessage.AuthChallenge) sent();
        assertThat(challenge.challenge()).hasSize(HandshakeDescriptor.CHALLENGE_BYTES);
        receive(challenge);
        HandshakeFailed failure = failure();
        assertThat(failure.reason()).isEqualTo("Peer presented the same challenge!");
        assertThat(failure.retryable()).isFalse();
        assertThat(sent()).isInstanceOf(HandshakeMessage.Refusal.class);
        assertThat(channel.<Object>readOutbound()).as("no response to the echoed challenge").isNull();
    }

    @Test
    void aPeerReflectingOurResponseIsNotAuthenticated() throws Exception {
        open(AUTH);
        sent();
        receive(new HandshakeMessage.Features(1, 1, 0, 2, 1, "sha1"));
        sent();
        receive(new HandshakeMessage.AuthChallenge(new byte[HandshakeDescriptor.CHALLENGE_BYTES]));
        HandshakeMessage.AuthResponse ours = (HandshakeMessage.AuthResponse) sent();
        receive(ours);
        assertThat(failure().reason()).isEqualTo("Authentication of peer failed");
    }

    @Test
    void settingsBeforeAuthenticationAreRefused() throws Exception {
        open(AUTH);
        sent();
        receive(new HandshakeMessage.Features(1, 1, 0, 2, 1, "sha1"));
        sent();
        receive(new HandshakeMessage.Settings(ConnectionSettings.of(AUTH, false)));
        assertThat(failure().reason()).startsWith("unexpected Settings");
        assertThat(events).noneMatch(HandshakeCompleted.class::isInstance);
    }

    @Test
    void anOversizedFrameFailsAndCloses() {
        open(NetConfig.DEFAULT);
        channel.writeInbound(Unpooled.buffer().writeInt(HandshakeDescriptor.MAX_FRAME_BYTES + 1).writeByte(1));
        HandshakeFailed failure = failure();
        assertThat(failure.reason()).startsWith("malformed handshake frame");
        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void aHugeLengthFailsBeforeTheBodyArrives() {
        open(NetConfig.DEFAULT);
        channel.writeInbound(Unpooled.buffer().writeInt(0xffff_fff0));
        assertThat(failure().reason()).startsWith("malformed handshake frame");
    }

    @Test
    void malformedBodiesFailAndClose() {
        byte[][] bodies = {
            {},
            {99},
            {HandshakeDescriptor.KIND_FEATURES, 0, 0, 0, 1},
            {HandshakeDescriptor.KIND_AUTH_CHALLENGE, 1, 2, 3},
            {HandshakeDescriptor.KIND_SETTINGS, 7},
            {HandshakeDescriptor.KIND_REFUSAL, 0, 0, 9, 'x'},
        };
        for (byte[] body : bodies) {
            events.clear();
            open(NetConfig.DEFAULT);
            channel.writeInbound(Unpooled.buffer().writeInt(body.length).writeBytes(body));
            assertThat(failure().reason()).as("body of %d bytes", body.length).startsWith("malformed handshake");
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void trailingBytesAfterAMessageAreMalformed() {
        open(NetConfig.DEFAULT);
        ByteBuf frame = HandshakeCodec.encode(ByteBufAllocator.DEFAULT,
            new HandshakeMessage.Features(1, 1, 0, 2, 1, ""));
        frame.setInt(0, frame.getInt(0) + 1);
        frame.writeByte(0);
        channel.writeInbound(frame);
        assertThat(failure().reason()).contains("trailing bytes");
    }

    @Test
    void randomGarbageNeverThrowsAndNeverCompletes() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            events.clear();
            open(round % 2 == 0 ? NetConfig.DEFAULT : AUTH);
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            if (round % 3 == 0) {
                garbage[0] = 0;
                garbage[1 % garbage.length] = 0;
            }
            channel.writeInbound(Unpooled.wrappedBuffer(garbage));
            channel.checkException();
            assertThat(events).noneMatch(HandshakeCompleted.class::isInstance);
            if (!events.isEmpty()) {
                assertThat(channel.isOpen()).isFalse();
            }
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void theHandshakeTimesOut() throws Exception {
        channel = new EmbeddedChannel(new HandshakeFrameDecoder(),
            new HandshakeHandler(HandshakeOptions.of(1, 2, NetConfig.DEFAULT, false)
                .withTimeout(Duration.ofMillis(50))),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    events.add(event);
                }
            });
        Thread.sleep(100);
        channel.runScheduledPendingTasks();
        assertThat(failure().reason()).startsWith("handshake timed out");
    }

    @Test
    void aRefusalFromThePeerIsReported() throws Exception {
        open(NetConfig.DEFAULT);
        receive(new HandshakeMessage.Refusal("incompatible protocol settings\n", false));
        HandshakeFailed failure = failure();
        assertThat(failure.reason()).isEqualTo("refused by peer: incompatible protocol settings?");
        assertThat(failure.retryable()).isFalse();
        assertThat(sent()).isInstanceOf(HandshakeMessage.Features.class);
        assertThat(channel.<Object>readOutbound()).as("no refusal back").isNull();
    }

    @Test
    void bytesAfterTheLastFrameGoToTheNextHandler() {
        StringBuilder after = new StringBuilder();
        channel = new EmbeddedChannel(new HandshakeFrameDecoder(),
            new HandshakeHandler(HandshakeOptions.of(1, 2, NetConfig.DEFAULT, false)),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    events.add(event);
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf data = (ByteBuf) msg;
                    after.append(data.toString(java.nio.charset.StandardCharsets.US_ASCII));
                    data.release();
                }
            });
        ByteBuf stream = Unpooled.wrappedBuffer(
            HandshakeCodec.encode(ByteBufAllocator.DEFAULT, new HandshakeMessage.Features(1, 1, 0, 2, 1, "")),
            HandshakeCodec.encode(ByteBufAllocator.DEFAULT,
                new HandshakeMessage.Settings(ConnectionSettings.of(NetConfig.DEFAULT, false))));
        stream = Unpooled.wrappedBuffer(stream, Unpooled.copiedBuffer("replication",
            java.nio.charset.StandardCharsets.US_ASCII));
        channel.writeInbound(stream);
        channel.checkException();
        assertThat(events).hasSize(1).first().isInstanceOf(HandshakeCompleted.class);
        assertThat(after.toString()).isEqualTo("replication");
        assertThat(channel.pipeline().get(HandshakeHandler.class)).isNull();
        assertThat(channel.pipeline().get(HandshakeFrameDecoder.class)).isNull();
        assertThat(channel.isOpen()).isTrue();
    }
}

package io.replicator.net.handshake;

import io.replicator.net.testing.NettyLeakCheck;
import io.netty.buffer.Unpooled;
import io.replicator.core.config.NetConfig;
import io.replicator.core.config.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.DataInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handshake between two real endpoints over loopback TCP. Node 1 accepts, node 2 connects. */
@Timeout(60)
@ExtendWith(NettyLeakCheck.class)
class HandshakeHandlerTest {
    static final Map<String, String> AUTH = Map.of("cram-hmac-alg", "sha256", "shared-secret", "s3cret");

    static NetConfig net(Map<String, String> base, String... more) {
        Map<String, String> written = new HashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            written.put(more[i], more[i + 1]);
        }
        return NetConfig.of(written);
    }

    static HandshakeOptions node(int id, int peer, NetConfig net) {
        return HandshakeOptions.of(id, peer, net, false).withTimeout(Duration.ofSeconds(10));
    }

    static Loopback connect(HandshakeOptions server, HandshakeOptions client) throws InterruptedException {
        return new Loopback(Loopback.Side.plain(server), Loopback.Side.plain(client));
    }

    static HandshakeFailed failed(Object outcome) {
        assertThat(outcome).isInstanceOf(HandshakeFailed.class);
        return (HandshakeFailed) outcome;
    }

    @Test
    void matchingSettingsCompleteOnBothSidesAndLeaveThePipeline() throws Exception {
        NetConfig net = net(AUTH, "protocol", "B", "data-integrity-alg", "crc32c", "compression", "lz4");
        try (Loopback link = connect(node(1, 2, net).withProtocolRange(1, 3).withFeatureFlags(0b1011),
            node(2, 1, net).withProtocolRange(2, 5).withFeatureFlags(0b0110))) {
            HandshakeCompleted server = (HandshakeCompleted) link.server.await();
            HandshakeCompleted client = (HandshakeCompleted) link.client.await();
            assertThat(server.agreedVersion()).isEqualTo(3);
            assertThat(client.agreedVersion()).isEqualTo(3);
            assertThat(server.features()).isEqualTo(0b0010);
            assertThat(client.features()).isEqualTo(0b0010);
            assertThat(server.peerNodeId()).isEqualTo(2);
            assertThat(client.peerNodeId()).isEqualTo(1);
            assertThat(server.peerSettings()).isEqualTo(ConnectionSettings.of(net, false));
            assertThat(server.peerSettings().protocol()).isEqualTo(Protocol.B);
            assertThat(link.server.namesAfterCompletion)
                .doesNotContain(HandshakePipeline.FRAMES, HandshakePipeline.HANDSHAKE);

            link.client.channel.writeAndFlush(Unpooled.copiedBuffer("replication", StandardCharsets.UTF_8)).sync();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (link.server.dataAfter.length() < "replication".length() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(link.server.dataAfter.toString()).isEqualTo("replication");
            assertThat(link.server.channel.isActive()).isTrue();
        }
    }

    @Test
    void withoutAuthenticationTheDefaultsAgree() throws Exception {
        try (Loopback link = connect(node(1, 2, NetConfig.DEFAULT), node(2, 1, NetConfig.DEFAULT))) {
            assertThat(link.server.await()).isInstanceOf(HandshakeCompleted.class);
            assertThat(link.client.await()).isInstanceOf(HandshakeCompleted.class);
            assertThat(((HandshakeCompleted) link.client.await()).agreedVersion())
                .isEqualTo(HandshakeOptions.PROTOCOL_MAX);
        }
    }

    @Test
    void wrongSecretFailsBothSidesForGood() throws Exception {
        try (Loopback link = connect(node(1, 2, net(AUTH)), node(2, 1, net(AUTH, "shared-secret", "other")))) {
            for (Object outcome : new Object[] {link.server.await(), link.client.await()}) {
                HandshakeFailed failure = failed(outcome);
                assertThat(failure.retryable()).isFalse();
                assertThat(failure.reason()).isEqualTo("Authentication of peer failed");
            }
            link.server.closed.get(5, TimeUnit.SECONDS);
            link.client.closed.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void secretOnOneSideOnlyFailsBothSides() throws Exception {
        try (Loopback link = connect(node(1, 2, net(AUTH)), node(2, 1, NetConfig.DEFAULT))) {
            HandshakeFailed server = failed(link.server.await());
            HandshakeFailed client = failed(link.client.await());
            assertThat(server.reason()).startsWith("peer did not authenticate");
            assertThat(client.reason()).startsWith("authentication required by peer");
            assertThat(server.retryable()).isFalse();
            assertThat(client.retryable()).isFalse();
        }
    }

    @Test
    void differentHmacAlgorithmsAreIncompatible() throws Exception {
        try (Loopback link = connect(node(1, 2, net(AUTH)), node(2, 1, net(AUTH, "cram-hmac-alg", "sha1")))) {
            assertThat(failed(link.server.await()).reason()).isEqualTo("incompatible cram-hmac-alg settings");
            assertThat(failed(link.client.await()).reason()).isEqualTo("incompatible cram-hmac-alg settings");
        }
    }

    @Test
    void protocolAAgainstCIsIncompatible() throws Exception {
        try (Loopback link = connect(node(1, 2, net(AUTH, "protocol", "A")), node(2, 1, net(AUTH, "protocol", "C")))) {
            for (Object outcome : new Object[] {link.server.await(), link.client.await()}) {
                assertThat(failed(outcome).reason()).isEqualTo("incompatible protocol settings");
                assertThat(failed(outcome).retryable()).isFalse();
            }
        }
    }

    @Test
    void afterSb0priIsComparedMirrored() throws Exception {
        try (Loopback link = connect(node(1, 2, net(AUTH, "after-sb-0pri", "discard-local")),
            node(2, 1, net(AUTH, "after-sb-0pri", "discard-remote")))) {
            assertThat(link.server.await()).isInstanceOf(HandshakeCompleted.class);
            assertThat(link.client.await()).isInstanceOf(HandshakeCompleted.class);
        }
        try (Loopback link = connect(node(1, 2, net(AUTH, "after-sb-0pri", "discard-local")),
            node(2, 1, net(AUTH, "after-sb-0pri", "discard-local")))) {
            assertThat(failed(link.server.await()).reason()).isEqualTo("incompatible after-sb-0pri settings");
            assertThat(failed(link.client.await()).reason()).isEqualTo("incompatible after-sb-0pri settings");
        }
    }

    @Test
    void afterSb1priMismatchIsRefused() throws Exception {
        try (Loopback link = connect(node(1, 2, net(AUTH, "after-sb-1pri", "consensus")),
            node(2, 1, net(AUTH, "after-sb-1pri", "discard-secondary")))) {
            assertThat(failed(link.server.await()).reason()).isEqualTo("incompatible after-sb-1pri settings");
            assertThat(failed(link.client.await()).reason()).isEqualTo("incompatible after-sb-1pri settings");
        }
    }

    @Test
    void discardMyDataOnBothSidesFails() throws Exception {
        NetConfig net = net(AUTH);
        try (Loopback link = connect(HandshakeOptions.of(1, 2, net, true), HandshakeOptions.of(2, 1, net, true))) {
            assertThat(failed(link.server.await()).reason()).contains("discard-my-data");
            assertThat(failed(link.client.await()).retryable()).isFalse();
        }
        try (Loopback link = connect(HandshakeOptions.of(1, 2, net, true), HandshakeOptions.of(2, 1, net, false))) {
            assertThat(((HandshakeCompleted) link.server.await()).peerSettings().discardMyData()).isFalse();
            assertThat(((HandshakeCompleted) link.client.await()).peerSettings().discardMyData()).isTrue();
        }
    }

    @Test
    void disjointProtocolVersionsAreIncompatible() throws Exception {
        try (Loopback link = connect(node(1, 2, NetConfig.DEFAULT).withProtocolRange(1, 2),
            node(2, 1, NetConfig.DEFAULT).withProtocolRange(3, 4))) {
            assertThat(failed(link.server.await()).reason()).startsWith("incompatible protocol versions");
            assertThat(failed(link.client.await()).retryable()).isFalse();
        }
    }

    @Test
    void nodeIdsNotAsConfiguredFail() throws Exception {
        try (Loopback link = connect(node(1, 2, net(AUTH)), node(3, 1, net(AUTH)))) {
            HandshakeFailed server = failed(link.server.await());
            assertThat(server.reason()).startsWith("node ids not as configured");
            assertThat(server.retryable()).isTrue();
            assertThat(link.client.await()).isInstanceOf(HandshakeFailed.class);
        }
    }

    @Test
    void aSilentPeerTimesOut() throws Exception {
        try (Loopback link = new Loopback(Loopback.Side.plain(node(1, 2, NetConfig.DEFAULT)
            .withTimeout(Duration.ofMillis(300)))); Socket silent = new Socket()) {
            silent.connect(link.address(), 5000);
            HandshakeFailed failure = failed(link.server.await());
            assertThat(failure.reason()).startsWith("handshake timed out");
            assertThat(failure.retryable()).isTrue();
            silent.setSoTimeout(5000);
            DataInputStream in = new DataInputStream(silent.getInputStream());
            in.skipNBytes(in.readInt());
            int refusal = in.readInt();
            assertThat(in.readUnsignedByte()).as("after FEATURES, a REFUSAL").isEqualTo(HandshakeDescriptor.KIND_REFUSAL);
            in.skipNBytes(refusal - 1);
            assertThat(in.read()).as("then end of stream").isEqualTo(-1);
        }
    }

    @Test
    void unknownHmacAlgorithmIsRefusedUpFront() {
        assertThatThrownBy(() -> HandshakeOptions.of(1, 2, net(AUTH, "cram-hmac-alg", "crc32c"), false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported cram-hmac-alg 'crc32c'");
        assertThatThrownBy(() -> HandshakeOptions.of(1, 2, net(Map.of("cram-hmac-alg", "sha1")), false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shared-secret");
    }
}

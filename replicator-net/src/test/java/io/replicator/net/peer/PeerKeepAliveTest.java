package io.replicator.net.peer;

import io.replicator.core.config.NetConfig;
import io.replicator.net.testing.NettyLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive on the control channel, with ping-int 1 s and ping-timeout 0.5 s, through a TCP proxy between the two
 * nodes that can be frozen (it stops relaying without closing anything, like a hung peer or a dead network).
 */
@Timeout(60)
@ExtendWith(NettyLeakCheck.class)
class PeerKeepAliveTest {
    final NetConfig net = Node.net("ping-int", "1", "ping-timeout", "5");
    final int p1 = Node.freePort();
    final int p2 = Node.freePort();
    final Recorder r1 = new Recorder();
    final Recorder r2 = new Recorder();

    @Test
    void aPeerThatStopsAnsweringIsDeclaredDeadAndTheSessionComesBackWhenItAnswersAgain() throws Exception {
        try (Node node1 = new Node(1); Node node2 = new Node(2); FreezableProxy proxy = new FreezableProxy(p1)) {
            node1.start(2, net, r1, Node.path(p1, p2));
            node2.start(1, net, r2, Node.path(p2, proxy.port()));
            PeerSession first = r1.connected(10_000);
            r2.connected(10_000);

            long frozenAt = System.nanoTime();
            proxy.freeze();
            assertThat(r1.disconnected(5_000)).startsWith("ping ack did not arrive in time");
            assertThat(r2.disconnected(5_000)).startsWith("ping ack did not arrive in time");
            long tookMs = (System.nanoTime() - frozenAt) / 1_000_000;
            assertThat(tookMs).as("ping-int + ping-timeout, give or take").isBetween(400L, 4_000L);
            assertThat(first.isOpen()).isFalse();

            proxy.thaw();
            assertThat(r1.connected(10_000).id()).isGreaterThan(first.id());
            r2.connected(10_000);
        }
        r1.assertNoViolations();
        r2.assertNoViolations();
    }

    @Test
    void aHealthyIdlePeerStaysConnectedOverSeveralPingIntervals() throws Exception {
        try (Node node1 = new Node(1); Node node2 = new Node(2); FreezableProxy proxy = new FreezableProxy(p1)) {
            node1.start(2, net, r1, Node.path(p1, p2));
            node2.start(1, net, r2, Node.path(p2, proxy.port()));
            PeerSession session = r1.connected(10_000);
            r2.connected(10_000);
            long before = proxy.relayedBytes();
            r1.assertQuiet(3_500);
            r2.assertQuiet(0);
            assertThat(session.isOpen()).isTrue();
            assertThat(proxy.relayedBytes() - before).as("pings and acks went over the wire").isPositive();
        }
        r1.assertNoViolations();
        r2.assertNoViolations();
    }
}

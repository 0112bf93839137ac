package io.replicator.net.peer;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.replicator.net.protocol.PeerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The keep-alive's round-trip measurement: from the ping it writes to the ping ack it reads next. */
@Timeout(10)
class KeepAliveHandlerTest {
    private final KeepAliveHandler handler = new KeepAliveHandler(5_000);
    private final EmbeddedChannel channel = new EmbeddedChannel(handler);

    @Test
    void shouldMeasureTheRoundTripFromItsPingToThePingAck() throws Exception {
        assertThat(handler.lastRttNanos()).isEmpty();
        long before = System.nanoTime();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(channel.<Object>readOutbound()).isInstanceOf(PeerMessage.Ping.class);
        Thread.sleep(20);
        channel.writeInbound(new PeerMessage.PingAck());
        long bound = System.nanoTime() - before;

        assertThat(handler.lastRttNanos().orElseThrow()).isBetween(20_000_000L, bound);
        assertThat(channel.<Object>readInbound()).as("ping acks never reach the listener").isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldIgnoreAPingAckWithoutItsPingAndKeepTheLastValue() throws Exception {
        channel.writeInbound(new PeerMessage.PingAck());
        assertThat(handler.lastRttNanos()).as("no ping of ours was answered").isEmpty();

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        channel.readOutbound();
        channel.writeInbound(new PeerMessage.PingAck());
        long measured = handler.lastRttNanos().orElseThrow();
        channel.writeInbound(new PeerMessage.PingAck());
        assertThat(handler.lastRttNanos()).as("a second ack answers nothing").hasValue(measured);
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldAnswerThePeersPingWithoutMeasuringAnything() {
        channel.writeInbound(new PeerMessage.Ping());
        assertThat(channel.<Object>readOutbound()).isInstanceOf(PeerMessage.PingAck.class);
        assertThat(handler.lastRttNanos()).isEmpty();
        channel.finishAndReleaseAll();
    }
}

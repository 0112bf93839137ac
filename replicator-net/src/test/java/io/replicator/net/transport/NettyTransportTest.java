package io.replicator.net.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NettyTransportTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(NettyTransport.PROPERTY);
    }

    /** The daemon's shipped native library loads here: a missing or mismatched jar would silently fall back. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void epollIsPreferredOnLinuxX86() {
        assertThat(NettyTransport.whyNotEpoll()).isEmpty();
        assertThat(NettyTransport.preferred()).isEqualTo(NettyTransport.EPOLL);
    }

    @Test
    void thePropertyChoosesNioOrRefusesNonsense() {
        System.setProperty(NettyTransport.PROPERTY, "NIO");
        assertThat(NettyTransport.preferred()).isEqualTo(NettyTransport.NIO);
        assertThat(NettyTransport.whyNotEpoll()).contains("-Dreplicator.transport=nio");
        System.setProperty(NettyTransport.PROPERTY, "kqueue");
        assertThatThrownBy(NettyTransport::preferred).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("nio or epoll").hasMessageContaining("kqueue");
    }

    @Test
    void aGroupTellsWhichChannelsItTakes() throws InterruptedException {
        for (NettyTransport transport : NettyTransport.values()) {
            if (transport == NettyTransport.EPOLL && NettyTransport.preferred() != NettyTransport.EPOLL) {
                continue;
            }
            EventLoopGroup group = transport.newGroup(1);
            try {
                assertThat(NettyTransport.of(group)).isEqualTo(transport);
                assertThat(NettyTransport.of(group.next())).isEqualTo(transport);
                assertThat(transport.socketChannel().getSimpleName()).startsWith(transport == NettyTransport.EPOLL
                    ? "Epoll" : "Nio");
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void domainAddressesAreNamedTheJdkWay() {
        UnixDomainSocketAddress jdk = UnixDomainSocketAddress.of("/run/replicator/r0.nbd");
        SocketAddress epoll = NettyTransport.EPOLL.domainAddress(jdk);
        assertThat(epoll).isInstanceOf(DomainSocketAddress.class);
        assertThat(NettyTransport.portable(epoll)).isEqualTo(jdk);
        assertThat(NettyTransport.NIO.domainAddress(jdk)).isSameAs(jdk);
        InetSocketAddress tcp = new InetSocketAddress("127.0.0.1", 7789);
        assertThat(NettyTransport.portable(tcp)).isSameAs(tcp);
    }
}

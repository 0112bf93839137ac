package io.replicator.net.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.EventExecutor;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Locale;

/**
 * The Netty transport of the daemon's sockets (peer links and NBD exports): Linux's native epoll where its library
 * loads, the JDK's NIO otherwise or when {@value #PROPERTY}{@code =nio} asks for it.
 *
 * <p>Why epoll is preferred: every hand-off between our threads wakes an event loop. The JDK's selector does that
 * under a lock ({@code EPollSelectorImpl.interruptLock}) that the woken loop takes too, so on a machine with few cores
 * the loop often wakes, finds the lock held by the thread still returning from the wake-up, and parks again —
 * two scheduler round trips per hand-off (seen with {@code perf trace} on the 4 KiB replicated write). Netty's epoll
 * loop is woken through an eventfd without a lock.
 *
 * <p>A channel must match its event loop's transport: code that is handed a group asks {@link #of} which one it is.
 */
public enum NettyTransport {
    /** Linux's epoll through Netty's native library. */
    EPOLL,
    /** The JDK's selector: every platform. */
    NIO;

    /** System property: {@code nio} forces NIO, {@code epoll} insists on epoll (failing if it cannot load). */
    public static final String PROPERTY = "replicator.transport";

    /** The transport new groups use here (see {@link #PROPERTY}). */
    public static NettyTransport preferred() {
        String asked = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        switch (asked) {
            case "nio":
                return NIO;
            case "epoll":
                Epoll.ensureAvailability();
                return EPOLL;
            case "":
                return Epoll.isAvailable() ? EPOLL : NIO;
            default:
                throw new IllegalArgumentException(PROPERTY + " must be nio or epoll, not '" + asked + "'");
        }
    }

    /** The transport of {@code group}'s loops: its channels must be of that transport. */
    public static NettyTransport of(EventLoopGroup group) {
        // One of its loops, without next(): that would move the group's round robin.
        EventExecutor loop = group instanceof EventLoop single ? single : group.iterator().next();
        return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class) ? EPOLL : NIO;
    }

    /** Why epoll is not used, for the log; empty when it is. */
    public static String whyNotEpoll() {
        if (preferred() == EPOLL) {
            return "";
        }
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? "disabled by -D" + PROPERTY + "=nio" : String.valueOf(cause.getMessage());
    }

    /** A group of {@code threads} loops of this transport. */
    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory());
    }

    private IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** TCP client channels. */
    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** TCP listening channels. */
    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Unix-domain listening channels. */
    public Class<? extends ServerChannel> domainServerChannel() {
        return this == EPOLL ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
    }

    /** {@code address} as the JDK names it: a {@link UnixDomainSocketAddress} for epoll's domain socket address. */
    public static SocketAddress portable(SocketAddress address) {
        return address instanceof DomainSocketAddress domain ? UnixDomainSocketAddress.of(domain.path()) : address;
    }

    /** The address a {@link #domainServerChannel} binds for {@code address}. */
    public SocketAddress domainAddress(UnixDomainSocketAddress address) {
        return this == EPOLL ? new DomainSocketAddress(address.getPath().toString()) : address;
    }
}

/**
 * Which Netty transport the daemon's sockets use: Linux's native epoll where it loads, the JDK's NIO otherwise
 * ({@link io.replicator.net.transport.NettyTransport}).
 */
package io.replicator.net.transport;

package io.replicator.cli.daemon;

import io.replicator.net.transport.NettyTransport;
import io.netty.util.internal.PlatformDependent;
import io.netty.channel.EventLoopGroup;
import io.replicator.net.peer.PeerTransport;
import io.replicator.net.replication.NetworkPeers;
import io.replicator.cli.metrics.MetricsEndpoints;
import io.replicator.cli.output.ExitCode;
import io.replicator.core.config.ConfigException;
import io.replicator.core.config.Configuration;
import io.replicator.core.config.HostConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.resource.LastWriteMemo;
import io.replicator.core.resource.ResourceConductor;
import io.replicator.core.resource.VolumeOpener;
import io.replicator.net.control.ControlServer;
import io.replicator.net.nbd.NbdServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The node daemon: hosts the resources of one node of a configuration, owns their disks, and answers the CLI on the
 * control socket. One per node name; two nodes can run on one machine.
 */
public final class NodeDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeDaemon.class);

    private final Path configPath;
    private final String node;
    private final VolumeOpener opener;
    private final DaemonEvents events = new DaemonEvents();
    private final ProcessHandlerInvoker handlers = new ProcessHandlerInvoker(events::helper);
    private final Map<String, ResourceConductor> resources = new LinkedHashMap<>();
    private final Map<String, NbdServer> exports = new LinkedHashMap<>();
    /** The Prometheus endpoints, one per distinct metrics-listen address of the resources up here. */
    private final MetricsEndpoints metrics = new MetricsEndpoints();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Peer connections of every resource: one event-loop group, one listening socket per local address. */
    private final EventLoopGroup peerGroup = NettyTransport.preferred().newGroup(2);
    private final PeerTransport peerTransport = new PeerTransport(peerGroup);
    private final DaemonRequests requests = new DaemonRequests(this);
    private ControlServer server;

    private NodeDaemon(Path configPath, String node, VolumeOpener opener) {
        this.configPath = configPath;
        this.node = node;
        this.opener = opener;
    }

    /**
     * Reads the configuration (refusing an invalid one), binds the control socket and starts answering.
     *
     * @throws ConfigException when the configuration is invalid or names no resource for {@code node}
     */
    public static NodeDaemon start(Path configPath, String node, Path socket, VolumeOpener opener)
        throws IOException, ConfigException {
        NodeDaemon daemon = new NodeDaemon(configPath, node, opener);
        Map<String, ResourceConfig> mine = daemon.readConfig();
        LOG.info("node {}: configuration {} with resource(s) {}", node, configPath, mine.keySet());
        daemon.server = ControlServer.start(socket, daemon.requests,
            failure -> LOG.error("control socket: {}", failure.toString(), failure));
        LOG.info("node {}: listening on {}", node, socket);
        String noEpoll = NettyTransport.whyNotEpoll();
        LOG.info("node {}: network transport {}{}", node, NettyTransport.of(daemon.peerGroup).name().toLowerCase(
            Locale.ROOT), noEpoll.isEmpty() ? "" : " (not epoll: " + noEpoll + ")");
        if (!PlatformDependent.useDirectBufferNoCleaner()) {
            LOG.info("node {}: direct buffers are zeroed on allocation (slower); daemons started by bin/replicator or"
                + " `up` run with {}", node, DaemonLauncher.DAEMON_JVM_OPTIONS);
        }
        return daemon;
    }

    /**
     * The memo in which resource {@code name} keeps its last write across a crash of this process
     * ({@link MappedLastWriteMemo}, in the run folder); none if the file cannot be mapped.
     */
    private LastWriteMemo lastWriteMemo(String name) {
        Path file = RunDirectory.resolve().folder().resolve(node + "." + name + ".lastwrite");
        try {
            return MappedLastWriteMemo.open(file);
        } catch (IOException | RuntimeException failure) {
            LOG.warn("{}: cannot map {} ({}); a crash of this process forgets how far it got with a Primary", name,
                file, failure.getMessage());
            return LastWriteMemo.NONE;
        }
    }

    /** The resources of this configuration that have an {@code on NODE} section, freshly read. */
    Map<String, ResourceConfig> readConfig() throws ConfigException {
        Map<String, ResourceConfig> all = Configuration.load(configPath).resources();
        Map<String, ResourceConfig> mine = new LinkedHashMap<>();
        all.forEach((name, resource) -> {
            if (resource.host(node).isPresent()) {
                mine.put(name, resource);
            }
        });
        return mine;
    }

    /** This node's name. */
    String node() {
        return node;
    }

    /** The event stream of every resource. */
    DaemonEvents events() {
        return events;
    }

    /** The conductor of {@code name}, creating it from the configuration when {@code create} is set. */
    synchronized Optional<ResourceConductor> resource(String name, boolean create) throws ConfigException {
        ResourceConductor existing = resources.get(name);
        if (existing != null || !create) {
            return Optional.ofNullable(existing);
        }
        ResourceConfig config = readConfig().get(name);
        if (config == null) {
            return Optional.empty();
        }
        ResourceConductor conductor = new ResourceConductor(config, node, opener, handlers, new SecureRandom(),
            new NetworkPeers(peerTransport));
        conductor.rememberLastWriteIn(lastWriteMemo(name));
        try {
            startExports(conductor);
        } catch (IOException failure) {
            conductor.close();
            throw new ConfigException(config.host(node).orElseThrow().location(), "cannot export " + name
                + " over NBD: " + failure.getMessage());
        }
        try {
            metrics.add(conductor).ifPresent(url -> LOG.info("{}: metrics at {}", name, url));
        } catch (IOException failure) {
            String address = conductor.self().metricsListen().orElseThrow().endpoint();
            stopExports(name);
            conductor.close();
            throw new ConfigException(config.host(node).orElseThrow().location(), "cannot serve the metrics of "
                + name + " at metrics-listen " + address + ": " + describe(failure));
        }
        conductor.addListener(events::changed);
        // resync-after may name a device of another resource on this node.
        conductor.resyncActivity((resource, volume) -> {
            ResourceConductor other;
            synchronized (this) {
                other = resources.get(resource);
            }
            return other != null && other.resyncing(volume);
        });
        resources.put(name, conductor);
        events.changed(conductor);
        return Optional.of(conductor);
    }

    /** Starts the NBD server of {@code conductor}'s resource where {@code nbd-listen} / {@code nbd-socket} say. */
    private void startExports(ResourceConductor conductor) throws IOException {
        HostConfig self = conductor.self();
        List<SocketAddress> listen = new ArrayList<>();
        self.nbdListen().ifPresent(address -> listen.add(new InetSocketAddress(address.host(), address.port())));
        self.nbdSocket().ifPresent(path -> listen.add(UnixDomainSocketAddress.of(path)));
        if (listen.isEmpty()) {
            return;
        }
        NbdServer.Options options = NbdServer.Options.defaults()
            .withErrorLog(failure -> LOG.warn("{}: NBD: {}", conductor.name(), failure.toString()));
        // On the loop of the resource's peer links: a peer's ack completes the client's write where it is answered.
        NbdServer server = NbdServer.start(listen, new ResourceExports(conductor, node), options,
            peerTransport.loopFor(conductor.name()));
        exports.put(conductor.name(), server);
        LOG.info("{}: NBD export listening on {}", conductor.name(), server.boundAddresses());
    }

    /** The NBD clients attached to {@code resource}'s exports, by remote address. */
    synchronized List<String> nbdClients(ResourceConductor conductor) {
        NbdServer server = exports.get(conductor.name());
        if (server == null) {
            return List.of();
        }
        List<String> clients = new ArrayList<>();
        for (String export : new ResourceExports(conductor, node).names()) {
            clients.addAll(server.clients(export));
        }
        return clients;
    }

    /** Ends every NBD client of {@code resource}: in-flight and later requests get ESHUTDOWN. */
    synchronized void disconnectNbd(ResourceConductor conductor) {
        NbdServer server = exports.get(conductor.name());
        if (server != null) {
            new ResourceExports(conductor, node).names().forEach(server::disconnect);
        }
    }

    private void stopExports(String resource) {
        NbdServer server = exports.remove(resource);
        if (server != null) {
            try {
                server.close();
            } catch (RuntimeException failure) {
                LOG.warn("{}: closing the NBD export: {}", resource, failure.toString());
            }
        }
    }

    /** Every conductor, in creation order. */
    synchronized List<ResourceConductor> resources() {
        return List.copyOf(resources.values());
    }

    /** Forgets a resource after {@code down}. */
    synchronized void remove(ResourceConductor conductor) {
        metrics.remove(conductor);
        stopExports(conductor.name());
        resources.remove(conductor.name());
        events.destroyed(conductor);
    }

    /**
     * Brings each of {@code targets} (a resource, or {@code all}) up as a forwarded {@code up} does, printing what
     * it says to {@code err}, and returns the exit status of the first failure. A failure stops nothing: the other
     * targets are still tried, and the daemon keeps answering so that the operator can fix the cause and retry.
     */
    public int up(List<String> targets, PrintWriter out, PrintWriter err) {
        int first = ExitCode.SUCCESS.status();
        for (String target : targets) {
            int status;
            try {
                // No control connection: only 'events' streams, and it needs one.
                status = requests.handle(List.of("up", target), out, err, null);
            } catch (Exception failure) {
                err.println(target + ": " + failure.getMessage());
                status = ExitCode.FAILURE.status();
            }
            err.flush();
            if (status != ExitCode.SUCCESS.status()) {
                LOG.error("node {}: up {} failed (exit status {}); the daemon runs on: fix the cause and run "
                    + "'replicator up {}'", node, target, status, target);
                if (first == ExitCode.SUCCESS.status()) {
                    first = status;
                }
            }
        }
        return first;
    }

    /** Asks the daemon to stop; {@link #awaitStop()} returns once it has. */
    void requestStop() {
        stopped.countDown();
    }

    /** Blocks until a stop is requested. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Detaches every resource cleanly and releases the socket. */
    @Override
    public void close() {
        synchronized (this) {
            List.copyOf(exports.keySet()).forEach(this::stopExports);
            metrics.close();
        }
        for (ResourceConductor conductor : resources()) {
            try {
                conductor.close();
            } catch (RuntimeException failure) {
                LOG.error("{}: clean shutdown failed: {}", conductor.name(), failure.toString());
            }
        }
        handlers.close();
        peerTransport.close();
        peerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException failure) {
            LOG.warn("closing the control socket: {}", failure.toString());
        }
        LOG.info("node {}: stopped", node);
    }

    /** A bind failure in words: the JDK's BindException says "Address already in use" but not which. */
    private static String describe(IOException failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Exit status the daemon process ends with when its configuration is invalid. */
    public static int invalidConfigStatus() {
        return ExitCode.INVALID_CONFIG.status();
    }
}

package io.replicator.cli.daemon;

import io.replicator.cli.output.ExitCode;
import io.replicator.core.config.ConfigException;
import io.replicator.core.config.Configuration;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.resource.ResourceConductor;
import io.replicator.core.resource.VolumeOpener;
import io.replicator.net.control.ControlServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

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
    private final CountDownLatch stopped = new CountDownLatch(1);
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
        daemon.server = ControlServer.start(socket, new DaemonRequests(daemon),
            failure -> LOG.error("control socket: {}", failure.toString(), failure));
        LOG.info("node {}: listening on {}", node, socket);
        return daemon;
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
        ResourceConductor conductor = new ResourceConductor(config, node, opener, handlers, new SecureRandom());
        conductor.addListener(events::changed);
        resources.put(name, conductor);
        events.changed(conductor);
        return Optional.of(conductor);
    }

    /** Every conductor, in creation order. */
    synchronized List<ResourceConductor> resources() {
        return List.copyOf(resources.values());
    }

    /** Forgets a resource after {@code down}. */
    synchronized void remove(ResourceConductor conductor) {
        resources.remove(conductor.name());
        events.destroyed(conductor);
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
        for (ResourceConductor conductor : resources()) {
            try {
                conductor.close();
            } catch (RuntimeException failure) {
                LOG.error("{}: clean shutdown failed: {}", conductor.name(), failure.toString());
            }
        }
        handlers.close();
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException failure) {
            LOG.warn("closing the control socket: {}", failure.toString());
        }
        LOG.info("node {}: stopped", node);
    }

    /** Exit status the daemon process ends with when its configuration is invalid. */
    public static int invalidConfigStatus() {
        return ExitCode.INVALID_CONFIG.status();
    }
}

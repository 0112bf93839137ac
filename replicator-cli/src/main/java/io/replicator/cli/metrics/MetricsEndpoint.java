package io.replicator.cli.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.replicator.core.config.Address;
import io.replicator.core.resource.ResourceConductor;
import io.replicator.core.state.ResourceStatus;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * One metrics endpoint of the daemon: an HTTP server at one {@code metrics-listen} address that answers
 * {@code GET /metrics} with the status of the resources naming that address, plus the process's JVM metrics, in the
 * format the scraper asks for (Prometheus text 0.0.4, or OpenMetrics when its Accept header prefers it).
 *
 * <p>The server's own threads do the work at scrape time: they ask each resource's owner thread for a snapshot. A
 * resource that is going away while scraped is left out of that scrape.
 */
final class MetricsEndpoint implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetricsEndpoint.class.getName());

    private final Address address;
    private final Set<ResourceConductor> resources = new CopyOnWriteArraySet<>();
    private final HTTPServer server;

    private MetricsEndpoint(Address address) throws IOException {
        this.address = address;
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        registry.register(new StatusMetrics(this::statuses));
        // The address is an IP literal (the configuration checked it), so this does no name lookup.
        this.server = HTTPServer.builder().inetAddress(InetAddress.getByName(address.host())).port(address.port())
            .registry(registry).buildAndStart();
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @throws IOException when the address cannot be bound (in use, not an address of this machine)
     */
    static MetricsEndpoint start(Address address) throws IOException {
        return new MetricsEndpoint(address);
    }

    /** The address as configured. */
    Address address() {
        return address;
    }

    /** The URL to scrape, {@code http://IP:PORT/metrics} (IPv6 in brackets). */
    String url() {
        return "http://" + address.endpoint() + "/metrics";
    }

    /** Shows {@code resource} from the next scrape on. */
    void add(ResourceConductor resource) {
        resources.add(resource);
    }

    /** Stops showing {@code resource}; true when no resource is left. */
    boolean remove(ResourceConductor resource) {
        resources.remove(resource);
        return resources.isEmpty();
    }

    /** Stops the server; a scrape under way may still finish. */
    @Override
    public void close() {
        server.close();
    }

    private List<ResourceStatus> statuses() {
        List<ResourceStatus> statuses = new ArrayList<>();
        for (ResourceConductor resource : resources) {
            try {
                statuses.add(resource.snapshot());
            } catch (RuntimeException closing) {
                LOG.log(System.Logger.Level.DEBUG, "metrics {0}: {1} left out of this scrape: {2}",
                    address.endpoint(), resource.name(), closing.toString());
            }
        }
        statuses.sort(Comparator.comparing(ResourceStatus::name));
        return statuses;
    }
}

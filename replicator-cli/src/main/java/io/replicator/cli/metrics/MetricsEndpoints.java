package io.replicator.cli.metrics;

import io.replicator.core.config.Address;
import io.replicator.core.resource.ResourceConductor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon's metrics endpoints, one per distinct {@code metrics-listen} address of its resources: a resource
 * joins the endpoint of its address when it is created ({@code up}), starting it if it is the first, and leaves it
 * at {@code down}, stopping it if it was the last. Thread-safe.
 */
public final class MetricsEndpoints implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetricsEndpoints.class.getName());

    /** By {@link Address#endpoint()}: {@code ipv4 1.2.3.4:9942} and {@code 1.2.3.4:9942} are one endpoint. */
    private final Map<String, MetricsEndpoint> endpoints = new LinkedHashMap<>();

    /**
     * Shows {@code resource} at its {@code metrics-listen} address, if it has one; returns the URL to scrape.
     *
     * @throws IOException when the endpoint had to be started and its address cannot be bound
     */
    public synchronized Optional<String> add(ResourceConductor resource) throws IOException {
        Optional<Address> address = resource.self().metricsListen();
        if (address.isEmpty()) {
            return Optional.empty();
        }
        MetricsEndpoint endpoint = endpoints.get(address.get().endpoint());
        if (endpoint == null) {
            endpoint = MetricsEndpoint.start(address.get());
            endpoints.put(address.get().endpoint(), endpoint);
        }
        endpoint.add(resource);
        return Optional.of(endpoint.url());
    }

    /** Stops showing {@code resource}; stops its endpoint when no other resource uses it. */
    public synchronized void remove(ResourceConductor resource) {
        // A resource's metrics-listen is fixed while it lives: it names the endpoint it joined.
        MetricsEndpoint endpoint = resource.self().metricsListen().map(a -> endpoints.get(a.endpoint())).orElse(null);
        if (endpoint != null && endpoint.remove(resource)) {
            endpoints.remove(endpoint.address().endpoint());
            stop(endpoint);
        }
    }

    /** The URL of each running endpoint. */
    public synchronized List<String> urls() {
        List<String> urls = new ArrayList<>();
        endpoints.values().forEach(endpoint -> urls.add(endpoint.url()));
        return urls;
    }

    /** Stops every endpoint. */
    @Override
    public synchronized void close() {
        endpoints.values().forEach(MetricsEndpoints::stop);
        endpoints.clear();
    }

    private static void stop(MetricsEndpoint endpoint) {
        try {
            endpoint.close();
        } catch (RuntimeException failure) {
            LOG.log(System.Logger.Level.WARNING, "closing the metrics endpoint {0}: {1}",
                endpoint.address().endpoint(), failure.toString());
        }
    }
}

package io.replicator.cli.metrics;

import io.replicator.core.config.ConfigException;
import io.replicator.core.config.Configuration;
import io.replicator.core.resource.HandlerInvoker;
import io.replicator.core.resource.ResourceConductor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The endpoints over real loopback HTTP, for resources that are configured but not up (nothing is opened). */
@Timeout(30)
class MetricsEndpointsTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MetricsEndpoints endpoints = new MetricsEndpoints();
    private final List<ResourceConductor> conductors = new ArrayList<>();

    @AfterEach
    void close() {
        endpoints.close();
        conductors.forEach(ResourceConductor::close);
    }

    private ResourceConductor resource(String name, int metricsPort) throws ConfigException {
        String text = "resource " + name + " {\n  device minor 0; disk /nonexistent; meta-disk internal;\n"
            + "  on alpha { node-id 0; address 127.0.0.1:7000; metrics-listen 127.0.0.1:" + metricsPort + "; }\n"
            + "  on bravo { node-id 1; address 127.0.0.2:7000; }\n}\n";
        ResourceConductor conductor = new ResourceConductor(Configuration.load(name + ".res", text).resource(name),
            "alpha", volume -> {
                throw new IOException("not opened in this test");
            }, HandlerInvoker.NONE, new SecureRandom());
        conductors.add(conductor);
        return conductor;
    }

    private HttpResponse<String> get(int port, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shouldServeResourcesOfOneAddressFromOneEndpointUntilTheLastLeaves() throws Exception {
        int port = freePort();
        ResourceConductor r0 = resource("r0", port);
        ResourceConductor r1 = resource("r1", port);
        assertThat(endpoints.add(r0)).contains("http://127.0.0.1:" + port + "/metrics");
        assertThat(endpoints.add(r1)).contains("http://127.0.0.1:" + port + "/metrics");
        assertThat(endpoints.urls()).hasSize(1);

        HttpResponse<String> both = get(port, null);
        assertThat(both.statusCode()).isEqualTo(200);
        assertThat(both.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
            .startsWith("text/plain; version=0.0.4"));
        assertThat(both.body())
            .contains("replicator_role{resource=\"r0\",replicator_role=\"Secondary\"} 1\n")
            .contains("replicator_role{resource=\"r1\",replicator_role=\"Secondary\"} 1\n")
            .contains("replicator_disk_state{resource=\"r0\",volume=\"0\",replicator_disk_state=\"Diskless\"} 1\n")
            .contains("replicator_connection_state{peer=\"bravo\",resource=\"r1\","
                + "replicator_connection_state=\"StandAlone\"} 1\n")
            .contains("jvm_memory_used_bytes{").contains("process_cpu_seconds_total ");

        endpoints.remove(r0);
        assertThat(get(port, null).body()).doesNotContain("resource=\"r0\"").contains("resource=\"r1\"");
        endpoints.remove(r1);
        assertThat(endpoints.urls()).isEmpty();
        assertThatThrownBy(() -> get(port, null)).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldNegotiateOpenMetricsAndProtobufAsTheScraperPrefers() throws Exception {
        int port = freePort();
        endpoints.add(resource("r0", port));

        HttpResponse<String> openMetrics = get(port, "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
            .startsWith("application/openmetrics-text; version=1.0.0"));
        assertThat(openMetrics.body()).contains("# TYPE replicator_role stateset\n").endsWith("# EOF\n");

        HttpResponse<String> protobuf = get(port, "application/vnd.google.protobuf;"
            + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3");
        assertThat(protobuf.statusCode()).isEqualTo(200);
        assertThat(protobuf.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
            .startsWith("application/vnd.google.protobuf"));
    }

    @Test
    void shouldFailWithTheReasonWhenTheAddressIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ResourceConductor r0 = resource("r0", taken.getLocalPort());
            assertThatThrownBy(() -> endpoints.add(r0)).isInstanceOf(IOException.class)
                .hasMessageContaining("in use");
            assertThat(endpoints.urls()).isEmpty();
        }
    }
}

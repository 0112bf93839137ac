package io.replicator.cli.metrics;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ConnectionStatistics;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatistics;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The status snapshots as metric families, checked through the client library's own text writers. */
@Timeout(10)
class StatusMetricsTest {
    /** r0 Primary with two volumes: volume 0 in sync with bravo, volume 1 resyncing to bravo; charlie connecting. */
    private static final ResourceStatus R0 = new ResourceStatus("r0", 0, Role.PRIMARY, List.of(), false, false, 0,
        List.of(device(0, DiskState.UP_TO_DATE), device(1, DiskState.UP_TO_DATE)),
        List.of(
            new ConnectionStatus(1, "bravo", ConnectionState.CONNECTED, Role.SECONDARY, false, List.of(
                new PeerDeviceStatus(0, ReplicationState.ESTABLISHED, DiskState.UP_TO_DATE, false,
                    OptionalDouble.empty(), List.of(), OptionalLong.empty(), OptionalLong.empty(),
                    new PeerDeviceStatistics(3, 2048, 0, 2, 1, false, false)),
                new PeerDeviceStatus(1, ReplicationState.SYNC_SOURCE, DiskState.INCONSISTENT, false,
                    OptionalDouble.of(37.5), List.of(), OptionalLong.of(42), OptionalLong.of(10240),
                    new PeerDeviceStatistics(0, 512, 4096, 0, 0, true, false))),
                List.of(), new ConnectionStatistics(64, 128, OptionalLong.of(1_500_000))),
            new ConnectionStatus(2, "charlie", ConnectionState.CONNECTING, Role.UNKNOWN, false, List.of(
                new PeerDeviceStatus(0, ReplicationState.OFF, DiskState.DUNKNOWN, false, OptionalDouble.empty(),
                    List.of(), OptionalLong.empty(), OptionalLong.empty(), PeerDeviceStatistics.EMPTY)),
                List.of(), new ConnectionStatistics(0, 0, OptionalLong.of(9_000_000)))));

    private static DeviceStatus device(int volume, DiskState disk) {
        return new DeviceStatus(volume, volume, disk, false, false, true, "/dev/sdb" + volume,
            new DeviceStatistics(65536, 0, 0, 0, 0, 0, 0, false));
    }

    private static String text(MetricSnapshots snapshots) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, snapshots);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldShowStatesAsStateSetsWithOneCurrentState() throws IOException {
        String text = text(StatusMetrics.of(List.of(R0)));

        assertThat(text)
            .contains("# TYPE replicator_role gauge\n")
            .contains("replicator_role{resource=\"r0\",replicator_role=\"Primary\"} 1\n")
            .contains("replicator_role{resource=\"r0\",replicator_role=\"Secondary\"} 0\n")
            .contains("replicator_disk_state{resource=\"r0\",volume=\"1\",replicator_disk_state=\"UpToDate\"} 1\n")
            .contains("replicator_connection_state{peer=\"bravo\",resource=\"r0\","
                + "replicator_connection_state=\"Connected\"} 1\n")
            .contains("replicator_connection_state{peer=\"charlie\",resource=\"r0\","
                + "replicator_connection_state=\"Connecting\"} 1\n")
            .contains("replicator_peer_role{peer=\"bravo\",resource=\"r0\",replicator_peer_role=\"Secondary\"} 1\n")
            .contains("replicator_replication_state{peer=\"bravo\",resource=\"r0\",volume=\"1\","
                + "replicator_replication_state=\"SyncSource\"} 1\n")
            .contains("replicator_peer_disk_state{peer=\"bravo\",resource=\"r0\",volume=\"1\","
                + "replicator_peer_disk_state=\"Inconsistent\"} 1\n");
        assertThat(text.lines().filter(l -> l.startsWith("replicator_replication_state{peer=\"bravo\"")
            && l.contains("volume=\"0\""))).hasSize(ReplicationState.values().length)
            .filteredOn(l -> l.endsWith(" 1")).containsExactly("replicator_replication_state{peer=\"bravo\","
                + "resource=\"r0\",volume=\"0\",replicator_replication_state=\"Established\"} 1");
    }

    @Test
    void shouldShowCountersAndGaugesInBytesAndSeconds() throws IOException {
        String text = text(StatusMetrics.of(List.of(R0)));

        assertThat(text)
            .contains("# TYPE replicator_sent_bytes_total counter\n")
            .contains("replicator_sent_bytes_total{peer=\"bravo\",resource=\"r0\",volume=\"0\"} 2097152.0\n")
            .contains("replicator_received_bytes_total{peer=\"bravo\",resource=\"r0\",volume=\"0\"} 3072.0\n")
            .contains("replicator_pending_requests{peer=\"bravo\",resource=\"r0\",volume=\"0\"} 2.0\n")
            .contains("replicator_unacked_requests{peer=\"bravo\",resource=\"r0\",volume=\"0\"} 1.0\n")
            .contains("replicator_out_of_sync_bytes{peer=\"bravo\",resource=\"r0\",volume=\"1\"} 4194304.0\n")
            .contains("replicator_ap_in_flight_bytes{peer=\"bravo\",resource=\"r0\"} 65536.0\n")
            .contains("replicator_rs_in_flight_bytes{peer=\"bravo\",resource=\"r0\"} 131072.0\n")
            .contains("replicator_ping_rtt_seconds{peer=\"bravo\",resource=\"r0\"} 0.0015\n")
            .contains("replicator_device_size_bytes{resource=\"r0\",volume=\"0\"} 6.7108864E7\n");
        assertThat(text).as("a round trip of an earlier connection is not shown while connecting")
            .doesNotContain("replicator_ping_rtt_seconds{peer=\"charlie\"");
    }

    @Test
    void shouldShowResyncProgressOnlyWhileAResyncRuns() throws IOException {
        String text = text(StatusMetrics.of(List.of(R0)));

        assertThat(text)
            .contains("replicator_resync_done_ratio{peer=\"bravo\",resource=\"r0\",volume=\"1\"} 0.375\n")
            .contains("replicator_resync_remaining_bytes{peer=\"bravo\",resource=\"r0\",volume=\"1\"} 4194304.0\n")
            .contains("replicator_resync_rate_bytes_per_second{peer=\"bravo\",resource=\"r0\",volume=\"1\"} "
                + "1.048576E7\n")
            .contains("replicator_resync_eta_seconds{peer=\"bravo\",resource=\"r0\",volume=\"1\"} 42.0\n");
        assertThat(text.lines().filter(l -> l.startsWith("replicator_resync_"))).hasSize(4)
            .allSatisfy(l -> assertThat(l).contains("volume=\"1\""));
    }

    @Test
    void shouldWriteOpenMetricsWithUnitsAndStateSetType() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter.create().write(out, StatusMetrics.of(List.of(R0)));
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(text)
            .contains("# TYPE replicator_role stateset\n")
            .contains("# TYPE replicator_sent_bytes counter\n# UNIT replicator_sent_bytes bytes\n")
            .contains("# UNIT replicator_ping_rtt_seconds seconds\n")
            .endsWith("# EOF\n");
    }

    @Test
    void shouldLeaveEveryFamilyOutWithoutResources() throws IOException {
        assertThat(StatusMetrics.of(List.of()).size()).isZero();
        assertThat(text(new StatusMetrics(List::of).collect())).isEmpty();
    }
}

package io.replicator.cli.output;

import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static io.replicator.cli.output.Snapshots.connection;
import static io.replicator.cli.output.Snapshots.device;
import static io.replicator.cli.output.Snapshots.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading back status --json, as the wait commands do. */
@Timeout(30)
class StatusJsonReaderTest {
    @Test
    void shouldReadBackWhatStatusJsonPrints() {
        ResourceStatus r0 = Snapshots.r0BobCarol();
        ResourceStatus back = StatusJsonReader.parse(StatusJson.format(List.of(r0))).get(0);
        assertThat(back.name()).isEqualTo("r0");
        assertThat(back.role()).isEqualTo(Role.PRIMARY);
        assertThat(back.devices()).singleElement().satisfies(d -> {
            assertThat(d.disk()).isEqualTo(DiskState.UP_TO_DATE);
            assertThat(d.minor()).isEqualTo(1000);
        });
        assertThat(back.connections()).hasSize(2);
        assertThat(back.connections().get(0).peerDevices()).containsExactlyElementsOf(
            r0.connections().get(0).peerDevices());
        assertThat(back.connections().get(1).connection()).isEqualTo(ConnectionState.CONNECTING);
    }

    @Test
    void shouldReadRateEtaAndSuspensionDuringResync() {
        PeerDeviceStatus p = new PeerDeviceStatus(0, ReplicationState.PAUSED_SYNC_T, DiskState.UP_TO_DATE, false,
            OptionalDouble.of(42.3), List.of("user", "peer"), OptionalLong.of(12), OptionalLong.of(2048),
            new PeerDeviceStatistics(1, 2, 3, 4, 5, true, false));
        ResourceStatus r = resource("r0", Role.SECONDARY, List.of(device(0, DiskState.INCONSISTENT)),
            List.of(connection(1, "bob", ConnectionState.CONNECTED, Role.PRIMARY, p)));
        assertThat(StatusJsonReader.parse(StatusJson.format(List.of(r))).get(0).connections().get(0).peerDevices())
            .containsExactly(p);
    }

    @Test
    void shouldReadUnknownEtaAndRateAsEmpty() {
        PeerDeviceStatus p = new PeerDeviceStatus(0, ReplicationState.SYNC_TARGET, DiskState.UP_TO_DATE, false,
            OptionalDouble.of(0), List.of(), OptionalLong.empty(), OptionalLong.empty(),
            new PeerDeviceStatistics(0, 0, 0, 0, 0, true, false));
        ResourceStatus r = resource("r0", Role.SECONDARY, List.of(device(0, DiskState.INCONSISTENT)),
            List.of(connection(1, "bob", ConnectionState.CONNECTED, Role.PRIMARY, p)));
        String json = StatusJson.format(List.of(r));
        assertThat(json).contains("\"estimated-seconds-to-finish\" : 987654321", "\"db1/dt1 [MiB/s]\" : 0.00");
        assertThat(StatusJsonReader.parse(json).get(0).connections().get(0).peerDevices()).containsExactly(p);
    }

    @Test
    void shouldRejectWhatIsNotStatusJson() {
        assertThatThrownBy(() -> StatusJsonReader.parse("r0 role:Primary")).hasMessageStartingWith("status --json");
        assertThatThrownBy(() -> StatusJsonReader.parse("{}")).hasMessageContaining("array");
        assertThatThrownBy(() -> StatusJsonReader.parse("[{\"name\":\"r0\"}]")).hasMessageContaining("'role'");
    }
}

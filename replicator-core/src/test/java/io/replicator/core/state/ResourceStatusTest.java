package io.replicator.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ResourceStatusTest {

    @Test
    void shouldNotSeeLaterChangesWhenCallerMutatesItsLists() {
        List<String> suspended = new ArrayList<>(List.of("user"));
        List<DeviceStatus> devices = new ArrayList<>();
        ResourceStatus status = new ResourceStatus("r0", 0, Role.PRIMARY, suspended, false, false, 0, devices,
            List.of());
        suspended.add("quorum");
        devices.add(new DeviceStatus(0, 1000, DiskState.UP_TO_DATE, false, true, true, "/dev/sdb",
            DeviceStatistics.EMPTY));
        assertThat(status.suspended()).containsExactly("user");
        assertThat(status.devices()).isEmpty();
        assertThat(status.isSuspended()).isTrue();
        assertThatThrownBy(() -> status.suspended().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldRejectNullsWhenBuilt() {
        assertThatThrownBy(() -> new PeerDeviceStatus(0, null, DiskState.DUNKNOWN, false, OptionalDouble.empty(),
            List.of(), OptionalLong.empty(), OptionalLong.empty(), PeerDeviceStatistics.EMPTY))
            .isInstanceOf(NullPointerException.class).hasMessage("replication");
        assertThatThrownBy(() -> new ConnectionStatus(1, "bob", ConnectionState.CONNECTED, null, false, List.of(),
            List.of(), ConnectionStatistics.EMPTY)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldCompareByValueWhenEqualSnapshots() {
        PathStatus a = new PathStatus("ipv4:1.2.3.4:7789", "ipv4:5.6.7.8:7790", false);
        assertThat(a).isEqualTo(new PathStatus("ipv4:1.2.3.4:7789", "ipv4:5.6.7.8:7790", false));
        assertThat(a).isNotEqualTo(new PathStatus("ipv4:1.2.3.4:7789", "ipv4:5.6.7.8:7790", true));
    }
}

package io.replicator.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ConnectionStatistics;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatistics;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.HelperEvent;
import io.replicator.core.state.PathStatus;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EventsFormatterTest {
    private final EventsFormatter events = new EventsFormatter(Optional.empty());

    /** The state of events2-all-create-change.test after its create lines. */
    private static ResourceStatus created() {
        DeviceStatus device = new DeviceStatus(0, 1000, DiskState.DISKLESS, false, false, true, "none",
            DeviceStatistics.EMPTY);
        PeerDeviceStatus peer = new PeerDeviceStatus(0, ReplicationState.OFF, DiskState.DUNKNOWN, false,
            OptionalDouble.empty(), List.of(), OptionalLong.empty(), OptionalLong.empty(), PeerDeviceStatistics.EMPTY);
        ConnectionStatus connection = new ConnectionStatus(1, "P", ConnectionState.STANDALONE, Role.UNKNOWN, false,
            List.of(peer), List.of(new PathStatus("ipv4:1.2.3.4:7789", "ipv4:5.6.7.8:7790", false)),
            ConnectionStatistics.EMPTY);
        return new ResourceStatus("R", 0, Role.SECONDARY, List.of(), false, false, 0, List.of(device),
            List.of(connection));
    }

    private static ResourceStatus withPeer(ResourceStatus r, PeerDeviceStatus peer) {
        ConnectionStatus c = r.connections().get(0);
        return new ResourceStatus(r.name(), r.nodeId(), r.role(), r.suspended(), r.forceIoFailures(), r.mayPromote(),
            r.promotionScore(), r.devices(), List.of(new ConnectionStatus(c.peerNodeId(), c.peerName(), c.connection(),
                c.peerRole(), c.congested(), List.of(peer), c.paths(), c.statistics())));
    }

    @Test
    void shouldMatchDrbdTestCreateLinesWhenResourceAppears() {
        assertThat(events.changes(List.of(), List.of(created()))).isEqualTo(
            "create resource name:R role:Secondary suspended:no force-io-failures:no may_promote:no promotion_score:0\n"
                + "create device name:R volume:0 minor:1000 backing_dev:none disk:Diskless client:no open:no "
                + "quorum:yes\n"
                + "create connection name:R peer-node-id:1 conn-name:P connection:StandAlone role:Unknown\n"
                + "create peer-device name:R peer-node-id:1 conn-name:P volume:0 replication:Off peer-disk:DUnknown "
                + "peer-client:no resync-suspended:no\n"
                + "create path name:R peer-node-id:1 conn-name:P local:ipv4:1.2.3.4:7789 peer:ipv4:5.6.7.8:7790 "
                + "established:no\n");
    }

    @Test
    void shouldListOnlyChangedKeysWhenPeerDeviceStartsSync() {
        ResourceStatus syncing = withPeer(created(), new PeerDeviceStatus(0, ReplicationState.SYNC_SOURCE,
            DiskState.INCONSISTENT, false, OptionalDouble.of(37.5), List.of(), OptionalLong.empty(),
            OptionalLong.empty(), PeerDeviceStatistics.EMPTY));
        assertThat(events.changes(List.of(created()), List.of(syncing))).isEqualTo(
            "change peer-device name:R peer-node-id:1 conn-name:P volume:0 replication:SyncSource "
                + "peer-disk:Inconsistent peer-client:no done:37.50\n");
    }

    @Test
    void shouldListRoleAndPromotionWhenResourceIsPromoted() {
        ResourceStatus c = created();
        ResourceStatus primary = new ResourceStatus("R", 0, Role.PRIMARY, List.of(), false, false, 10102,
            c.devices(), c.connections());
        assertThat(events.changes(List.of(c), List.of(primary)))
            .isEqualTo("change resource name:R role:Primary may_promote:no promotion_score:10102\n");
    }

    @Test
    void shouldPrintNothingWhenNothingChanged() {
        assertThat(events.changes(List.of(created()), List.of(created()))).isEmpty();
    }

    @Test
    void shouldPrintOnlyProgressWhenDoneAdvances() {
        PeerDeviceStatus at10 = Snapshots.syncing(0, ReplicationState.SYNC_TARGET, DiskState.UP_TO_DATE, 10,
            List.of());
        PeerDeviceStatus at20 = Snapshots.syncing(0, ReplicationState.SYNC_TARGET, DiskState.UP_TO_DATE, 20,
            List.of());
        assertThat(events.changes(List.of(withPeer(created(), at10)), List.of(withPeer(created(), at20))))
            .isEqualTo("change peer-device name:R peer-node-id:1 conn-name:P volume:0 done:20.00\n");
    }

    @Test
    void shouldDestroyChildrenBeforeResourceWhenResourceDisappears() {
        assertThat(events.changes(List.of(created()), List.of())).isEqualTo(
            "destroy path name:R peer-node-id:1 conn-name:P local:ipv4:1.2.3.4:7789 peer:ipv4:5.6.7.8:7790\n"
                + "destroy peer-device name:R peer-node-id:1 conn-name:P volume:0\n"
                + "destroy connection name:R peer-node-id:1 conn-name:P\n"
                + "destroy device name:R volume:0\n"
                + "destroy resource name:R\n");
    }

    @Test
    void shouldEndInitialDumpWithExistsDashWhenListingSnapshot() {
        String dump = events.exists(List.of(created()));
        assertThat(dump).startsWith("exists resource name:R role:Secondary suspended:no force-io-failures:no "
            + "may_promote:no promotion_score:0\n");
        assertThat(dump).contains("exists path name:R peer-node-id:1 conn-name:P local:ipv4:1.2.3.4:7789 "
            + "peer:ipv4:5.6.7.8:7790 established:no\n");
        assertThat(dump).endsWith("\nexists -\n");
        assertThat(events.exists(List.of())).isEqualTo("exists -\n");
    }

    @Test
    void shouldMatchDrbdHelperTestWhenHandlerIsCalledAndAnswers() {
        HelperEvent call = new HelperEvent("R", OptionalInt.of(1), "P", OptionalInt.of(0), "before-resync-target",
            OptionalInt.empty());
        HelperEvent response = new HelperEvent("R", OptionalInt.of(1), "P", OptionalInt.of(0),
            "before-resync-target", OptionalInt.of(1));
        assertThat(events.helper(call))
            .isEqualTo("call helper name:R peer-node-id:1 conn-name:P volume:0 helper:before-resync-target\n");
        assertThat(events.helper(response)).isEqualTo(
            "response helper name:R peer-node-id:1 conn-name:P volume:0 helper:before-resync-target status:1\n");
    }

    @Test
    void shouldPrefixLocalTimeWithMicrosAndOffsetWhenTimestamps() {
        Clock clock = Clock.fixed(Instant.parse("2024-05-01T10:34:56.123456789Z"), ZoneOffset.ofHours(2));
        EventsFormatter stamped = new EventsFormatter(Optional.of(clock));
        assertThat(stamped.exists(List.of())).isEqualTo("2024-05-01T12:34:56.123456+02:00 exists -\n");
        Clock utc = Clock.fixed(Instant.parse("2024-05-01T10:34:56Z"), ZoneOffset.UTC);
        assertThat(new EventsFormatter(Optional.of(utc)).exists(List.of()))
            .isEqualTo("2024-05-01T10:34:56.000000+00:00 exists -\n");
    }
}

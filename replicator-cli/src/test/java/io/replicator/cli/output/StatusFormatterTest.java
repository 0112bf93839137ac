package io.replicator.cli.output;

import static io.replicator.cli.output.Snapshots.connection;
import static io.replicator.cli.output.Snapshots.device;
import static io.replicator.cli.output.Snapshots.peer;
import static io.replicator.cli.output.Snapshots.resource;
import static io.replicator.cli.output.Snapshots.syncing;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StatusFormatterTest {
    private final StatusFormatter plain = new StatusFormatter(false, false);

    @Test
    void shouldMatchDrbdMdExampleWhenSyncingToOnePeerAndConnectingToAnother() {
        assertThat(plain.format(List.of(Snapshots.r0BobCarol()))).isEqualTo(
            "r0 role:Primary\n"
                + "  disk:UpToDate\n"
                + "  bob role:Secondary\n"
                + "    replication:SyncSource peer-disk:Inconsistent done:37.50\n"
                + "  carol connection:Connecting\n"
                + "\n");
    }

    @Test
    void shouldPrefixVolumesWhenResourceHasSeveral() {
        ResourceStatus r = resource("r1", Role.SECONDARY,
            List.of(device(0, DiskState.UP_TO_DATE), device(1, DiskState.UP_TO_DATE)),
            List.of(connection(1, "alice", ConnectionState.CONNECTED, Role.PRIMARY,
                peer(0, ReplicationState.ESTABLISHED, DiskState.UP_TO_DATE),
                peer(1, ReplicationState.ESTABLISHED, DiskState.UP_TO_DATE))));
        assertThat(plain.format(List.of(r))).isEqualTo(
            "r1 role:Secondary\n"
                + "  volume:0 disk:UpToDate\n"
                + "  volume:1 disk:UpToDate\n"
                + "  alice role:Primary\n"
                + "    volume:0 peer-disk:UpToDate\n"
                + "    volume:1 peer-disk:UpToDate\n"
                + "\n");
    }

    @Test
    void shouldShowClientWhenDisklessAndQuorumWhenLost() {
        DeviceStatus client = new DeviceStatus(0, 1000, DiskState.DISKLESS, true, true, false, "none",
            DeviceStatistics.EMPTY);
        PeerDeviceStatus peerClient = new PeerDeviceStatus(0, ReplicationState.ESTABLISHED, DiskState.DISKLESS, true,
            OptionalDouble.empty(), List.of(), OptionalLong.empty(), OptionalLong.empty(), PeerDeviceStatistics.EMPTY);
        ResourceStatus r = new ResourceStatus("r2", 0, Role.PRIMARY, List.of("quorum"), true, false, 0,
            List.of(client), List.of(connection(1, "dave", ConnectionState.CONNECTED, Role.SECONDARY, peerClient)));
        assertThat(plain.format(List.of(r))).isEqualTo(
            "r2 role:Primary suspended:quorum force-io-failures:yes\n"
                + "  disk:Diskless client:yes quorum:no\n"
                + "  dave role:Secondary\n"
                + "    peer-disk:Diskless peer-client:yes\n"
                + "\n");
    }

    /** The pieces past column 80 wrap to the continuation indent, as drbdsetup's wrap_printf does off a tty. */
    @Test
    void shouldShowResyncSuspendedWhenSyncIsPaused() {
        ResourceStatus r = resource("r0", Role.SECONDARY, List.of(device(0, DiskState.INCONSISTENT)),
            List.of(connection(1, "bob", ConnectionState.CONNECTED, Role.PRIMARY,
                syncing(0, ReplicationState.PAUSED_SYNC_T, DiskState.UP_TO_DATE, 12.345, List.of("user", "peer")))));
        assertThat(plain.format(List.of(r))).isEqualTo(
            "r0 role:Secondary\n"
                + "  disk:Inconsistent\n"
                + "  bob role:Primary\n"
                + "    replication:PausedSyncT peer-disk:UpToDate done:12.35\n"
                + "        resync-suspended:user,peer\n"
                + "\n");
    }

    @Test
    void shouldShowVerifyProgressWhenVerifying() {
        ResourceStatus r = resource("r0", Role.PRIMARY, List.of(device(0, DiskState.UP_TO_DATE)),
            List.of(connection(1, "bob", ConnectionState.CONNECTED, Role.SECONDARY,
                syncing(0, ReplicationState.VERIFY_S, DiskState.UP_TO_DATE, 80, List.of()))));
        assertThat(plain.format(List.of(r))).contains("    replication:VerifyS peer-disk:UpToDate done:80.00\n");
    }

    @Test
    void shouldSortResourcesAndConnectionsWhenSeveral() {
        ResourceStatus b = resource("b", Role.SECONDARY, List.of(device(0, DiskState.UP_TO_DATE)), List.of(
            connection(2, "zed", ConnectionState.STANDALONE, Role.UNKNOWN),
            connection(1, "amy", ConnectionState.UNCONNECTED, Role.UNKNOWN)));
        ResourceStatus a = resource("a", Role.SECONDARY, List.of(device(0, DiskState.OUTDATED)), List.of());
        assertThat(plain.format(List.of(b, a))).isEqualTo(
            "a role:Secondary\n  disk:Outdated\n\n"
                + "b role:Secondary\n  disk:UpToDate\n  amy connection:Unconnected\n  zed connection:StandAlone\n\n");
    }

    @Test
    void shouldSayNothingIsConfiguredWhenNoResources() {
        assertThat(plain.format(List.of())).isEqualTo("# No currently configured DRBD found.\n");
    }

    @Test
    void shouldShowIdsAndDefaultsWhenVerbose() {
        assertThat(new StatusFormatter(true, false).format(List.of(Snapshots.r0BobCarol()))).isEqualTo(
            "r0 node-id:0 role:Primary suspended:no force-io-failures:no\n"
                + "  volume:0 minor:1000 backing_dev:/dev/vg/r0_0 disk:UpToDate quorum:yes open:no\n"
                + "  bob node-id:1 connection:Connected role:Secondary congested:no\n"
                + "    volume:0 replication:SyncSource peer-disk:Inconsistent done:37.50\n"
                + "        resync-suspended:no\n"
                + "  carol node-id:2 connection:Connecting role:Unknown congested:no\n"
                + "    volume:0 replication:Off peer-disk:DUnknown resync-suspended:no\n"
                + "\n");
    }

    @Test
    void shouldPrintCountersOnContinuationLinesWhenStatistics() {
        DeviceStatus d = new DeviceStatus(0, 1000, DiskState.UP_TO_DATE, false, false, true, "/dev/sdb",
            new DeviceStatistics(1048576, 100, 200, 3, 4, 0, 1, false));
        PeerDeviceStatus p = new PeerDeviceStatus(0, ReplicationState.ESTABLISHED, DiskState.UP_TO_DATE, false,
            OptionalDouble.empty(), List.of(), OptionalLong.empty(), OptionalLong.empty(),
            new PeerDeviceStatistics(10, 20, 0, 0, 0, false, false));
        ConnectionStatus c = new ConnectionStatus(1, "bob", ConnectionState.CONNECTED, Role.SECONDARY, false,
            List.of(p), List.of(), new ConnectionStatistics(0, 0));
        ResourceStatus r = new ResourceStatus("r0", 0, Role.PRIMARY, List.of(), false, false, 0, List.of(d),
            List.of(c));
        assertThat(new StatusFormatter(false, true).format(List.of(r))).isEqualTo(
            "r0 role:Primary\n"
                + "  disk:UpToDate\n"
                + "      read:100 written:200\n"
                + "  bob role:Secondary\n"
                + "    peer-disk:UpToDate\n"
                + "        received:10 sent:20\n"
                + "\n");
    }

    @Test
    void shouldShowRateAndEtaWhenVerboseStatisticsDuringResync() {
        PeerDeviceStatus p = new PeerDeviceStatus(0, ReplicationState.SYNC_TARGET, DiskState.UP_TO_DATE, false,
            OptionalDouble.of(50), List.of(), OptionalLong.of(42), OptionalLong.of(2048),
            new PeerDeviceStatistics(512, 0, 512, 1, 2, true, false));
        ResourceStatus r = resource("r0", Role.SECONDARY, List.of(device(0, DiskState.INCONSISTENT)),
            List.of(connection(1, "bob", ConnectionState.CONNECTED, Role.PRIMARY, p)));
        assertThat(new StatusFormatter(true, true).format(List.of(r))).contains(
            "    volume:0 replication:SyncTarget peer-disk:UpToDate done:50.00\n"
                + "        resync-suspended:no\n"
                + "        received:512 sent:0 out-of-sync:512 pending:1 unacked:2 dbdt1:2.00\n"
                + "        eta:42\n");
    }

    @Test
    void shouldPrintDbdt1AndNanEtaWhenRateIsNotKnownYet() {
        PeerDeviceStatus p = new PeerDeviceStatus(0, ReplicationState.SYNC_TARGET, DiskState.UP_TO_DATE, false,
            OptionalDouble.of(0), List.of(), OptionalLong.empty(), OptionalLong.empty(),
            new PeerDeviceStatistics(0, 0, 1024, 0, 0, true, false));
        ResourceStatus r = resource("r0", Role.SECONDARY, List.of(device(0, DiskState.INCONSISTENT)),
            List.of(connection(1, "bob", ConnectionState.CONNECTED, Role.PRIMARY, p)));
        assertThat(new StatusFormatter(true, true).format(List.of(r))).contains(
            "    volume:0 replication:SyncTarget peer-disk:UpToDate done:0.00\n"
                + "        resync-suspended:no\n"
                + "        received:0 sent:0 out-of-sync:1024 pending:0 unacked:0 dbdt1:0.00\n"
                + "        eta:nan\n");
        assertThat(new StatusFormatter(false, true).format(List.of(r))).contains(
            "    replication:SyncTarget peer-disk:UpToDate done:0.00\n"
                + "        received:0 sent:0 out-of-sync:1024\n");
    }

    @Test
    void shouldShowRateAndEtaOfAVerifyAndBothPauseReasons() {
        PeerDeviceStatus verify = new PeerDeviceStatus(0, ReplicationState.VERIFY_S, DiskState.UP_TO_DATE, false,
            OptionalDouble.of(42.3), List.of(), OptionalLong.of(7), OptionalLong.of(83149),
            new PeerDeviceStatistics(0, 0, 0, 0, 0, false, true));
        PeerDeviceStatus paused = new PeerDeviceStatus(1, ReplicationState.PAUSED_SYNC_S, DiskState.INCONSISTENT,
            false, OptionalDouble.of(12.5), List.of("user", "peer"), OptionalLong.empty(), OptionalLong.empty(),
            PeerDeviceStatistics.EMPTY);
        ResourceStatus r = resource("r0", Role.PRIMARY,
            List.of(device(0, DiskState.UP_TO_DATE), device(1, DiskState.UP_TO_DATE)),
            List.of(connection(1, "bob", ConnectionState.CONNECTED, Role.SECONDARY, verify, paused)));
        assertThat(new StatusFormatter(false, false).format(List.of(r))).contains(
            "    volume:0 replication:VerifyS peer-disk:UpToDate done:42.30\n"
                + "    volume:1 replication:PausedSyncS peer-disk:Inconsistent done:12.50\n"
                + "        resync-suspended:user,peer\n");
        assertThat(new StatusFormatter(true, true).format(List.of(r))).contains(" dbdt1:81.20", " eta:7\n");
    }
}

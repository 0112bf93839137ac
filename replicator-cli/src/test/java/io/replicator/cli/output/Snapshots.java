package io.replicator.cli.output;

import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ConnectionStatistics;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatistics;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.PathStatus;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.Role;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Small snapshot values for the formatter tests. */
final class Snapshots {
    private Snapshots() {
    }

    static ResourceStatus resource(String name, Role role, List<DeviceStatus> devices,
                                   List<ConnectionStatus> connections) {
        return new ResourceStatus(name, 0, role, List.of(), false, false, 0, devices, connections);
    }

    static DeviceStatus device(int volume, DiskState disk) {
        return new DeviceStatus(volume, 1000 + volume, disk, false, false, true, "/dev/vg/r0_" + volume,
            DeviceStatistics.EMPTY);
    }

    static ConnectionStatus connection(int nodeId, String name, ConnectionState state, Role role,
                                       PeerDeviceStatus... peerDevices) {
        return new ConnectionStatus(nodeId, name, state, role, false, List.of(peerDevices), List.of(),
            ConnectionStatistics.EMPTY);
    }

    static ConnectionStatus withPaths(ConnectionStatus c, PathStatus... paths) {
        return new ConnectionStatus(c.peerNodeId(), c.peerName(), c.connection(), c.peerRole(), c.congested(),
            c.peerDevices(), List.of(paths), c.statistics());
    }

    static PeerDeviceStatus peer(int volume, ReplicationState replication, DiskState peerDisk) {
        return new PeerDeviceStatus(volume, replication, peerDisk, false, OptionalDouble.empty(), List.of(),
            OptionalLong.empty(), OptionalLong.empty(), PeerDeviceStatistics.EMPTY);
    }

    static PeerDeviceStatus syncing(int volume, ReplicationState replication, DiskState peerDisk, double done,
                                    List<String> suspended) {
        return new PeerDeviceStatus(volume, replication, peerDisk, false, OptionalDouble.of(done), suspended,
            OptionalLong.empty(), OptionalLong.empty(), PeerDeviceStatistics.EMPTY);
    }

    /** drbd.md §8: r0 Primary, syncing to bob, carol still connecting. */
    static ResourceStatus r0BobCarol() {
        return resource("r0", Role.PRIMARY, List.of(device(0, DiskState.UP_TO_DATE)), List.of(
            connection(1, "bob", ConnectionState.CONNECTED, Role.SECONDARY,
                syncing(0, ReplicationState.SYNC_SOURCE, DiskState.INCONSISTENT, 37.5, List.of())),
            connection(2, "carol", ConnectionState.CONNECTING, Role.UNKNOWN,
                peer(0, ReplicationState.OFF, DiskState.DUNKNOWN))));
    }
}

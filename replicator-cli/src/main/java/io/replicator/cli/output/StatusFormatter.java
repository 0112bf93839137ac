package io.replicator.cli.output;

import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatistics;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import java.util.Comparator;
import java.util.List;

/**
 * Prints resources in the layout of {@code drbdadm status} / {@code drbdsetup status} (drbd.md §8), as drbdsetup
 * prints it when standard output is not a terminal: lines wrap at 80 columns, and {@code client:} is shown for every
 * Diskless volume.
 *
 * <pre>
 * r0 role:Primary
 *   disk:UpToDate
 *   bob role:Secondary
 *     replication:SyncSource peer-disk:Inconsistent done:37.50
 *   carol connection:Connecting
 *
 * </pre>
 *
 * <p>Resources are sorted by name and connections by connection name, and every resource ends with an empty line,
 * as in drbdsetup. Peer devices are shown only for Connected peers unless {@code --verbose} or {@code --statistics}
 * is given. {@code --verbose} adds node ids, minors, the backing device, {@code open:}, {@code quorum:yes},
 * {@code suspended:no}, {@code force-io-failures:no}, {@code congested:no} and {@code resync-suspended:no};
 * {@code --statistics} adds the counters on continuation lines, and both together add the per-device details and,
 * during a resync or verify, {@code dbdt1:} (MiB/s) and {@code eta:} (seconds, {@code nan} when unknown).
 */
public final class StatusFormatter {
    private static final String NO_RESOURCES = "# No currently configured DRBD found.\n";

    private final boolean verbose;
    private final boolean statistics;

    /** A formatter for {@code status [--verbose] [--statistics]}. */
    public StatusFormatter(boolean verbose, boolean statistics) {
        this.verbose = verbose;
        this.statistics = statistics;
    }

    /** The complete output for {@code resources}, newline-terminated. */
    public String format(List<ResourceStatus> resources) {
        if (resources.isEmpty()) {
            return NO_RESOURCES;
        }
        WrapWriter out = new WrapWriter(WrapWriter.DEFAULT_COLUMNS);
        resources.stream().sorted(Comparator.comparing(ResourceStatus::name)).forEach(r -> resource(out, r));
        return out.toString();
    }

    private void resource(WrapWriter out, ResourceStatus resource) {
        out.print(0, resource.name());
        if (verbose) {
            out.print(4, " node-id:" + resource.nodeId());
        }
        out.print(4, " role:" + resource.role().drbdName());
        if (verbose || resource.isSuspended()) {
            out.print(4, " suspended:" + DrbdWords.listOrNo(resource.suspended()));
        }
        if (verbose || resource.forceIoFailures()) {
            out.print(4, " force-io-failures:" + DrbdWords.yesNo(resource.forceIoFailures()));
        }
        out.newline();
        boolean single = resource.devices().size() == 1;
        for (DeviceStatus device : resource.devices()) {
            device(out, device, single);
        }
        List<ConnectionStatus> connections = resource.connections().stream()
            .sorted(Comparator.comparing(ConnectionStatus::peerName)).toList();
        for (ConnectionStatus connection : connections) {
            connection(out, connection, single);
        }
        out.newline();
    }

    private void device(WrapWriter out, DeviceStatus device, boolean single) {
        int indent = 2;
        if (verbose || !(single && device.volume() == 0)) {
            out.print(indent, "volume:" + device.volume());
            indent = 6;
            if (verbose) {
                out.print(indent, " minor:" + device.minor());
            }
        }
        if (verbose) {
            out.print(indent, " backing_dev:" + device.backingDev());
        }
        out.print(indent, " disk:" + device.disk().drbdName());
        if (device.disk() == DiskState.DISKLESS) {
            out.print(indent, " client:" + DrbdWords.yesNo(device.client()));
        }
        if (verbose || !device.quorum()) {
            out.print(indent, " quorum:" + DrbdWords.yesNo(device.quorum()));
        }
        if (verbose) {
            out.print(indent, " open:" + DrbdWords.yesNo(device.open()));
        }
        if (statistics) {
            out.print(6, "\n");
            deviceStatistics(out, device.statistics());
        }
        out.newline();
    }

    private void deviceStatistics(WrapWriter out, DeviceStatistics s) {
        if (verbose) {
            out.print(6, " size:" + s.sizeKiB());
        }
        out.print(6, " read:" + s.readKiB());
        out.print(6, " written:" + s.writtenKiB());
        if (verbose) {
            out.print(6, " al-writes:" + s.alWrites());
            out.print(6, " bm-writes:" + s.bmWrites());
            out.print(6, " upper-pending:" + s.upperPending());
            out.print(6, " lower-pending:" + s.lowerPending());
            out.print(6, " al-suspended:" + DrbdWords.yesNo(s.alSuspended()));
        }
    }

    private void connection(WrapWriter out, ConnectionStatus connection, boolean single) {
        boolean connected = connection.connection() == ConnectionState.CONNECTED;
        out.print(2, connection.peerName());
        if (verbose) {
            out.print(6, " node-id:" + connection.peerNodeId());
        }
        if (verbose || !connected) {
            out.print(6, " connection:" + connection.connection().drbdName());
        }
        if (verbose || connected) {
            out.print(6, " role:" + connection.peerRole().drbdName());
        }
        if (verbose || connection.congested()) {
            out.print(6, " congested:" + DrbdWords.yesNo(connection.congested()));
            if (statistics) {
                out.print(6, " ap-in-flight:" + connection.statistics().apInFlightKiB());
                out.print(6, " rs-in-flight:" + connection.statistics().rsInFlightKiB());
            }
        }
        out.newline();
        if (verbose || statistics || connected) {
            for (PeerDeviceStatus peerDevice : connection.peerDevices()) {
                peerDevice(out, peerDevice, single);
            }
        }
    }

    private void peerDevice(WrapWriter out, PeerDeviceStatus peerDevice, boolean single) {
        int indent = 4;
        if (verbose || !(single && peerDevice.volume() == 0)) {
            out.print(indent, "volume:" + peerDevice.volume());
            indent = 8;
        }
        ReplicationState replication = peerDevice.replication();
        if (verbose || replication.compareTo(ReplicationState.ESTABLISHED) > 0) {
            out.print(indent, " replication:" + replication.drbdName());
            indent = 8;
        }
        if (verbose || statistics || replication != ReplicationState.OFF
            || peerDevice.peerDisk() != DiskState.DUNKNOWN) {
            out.print(indent, " peer-disk:" + peerDevice.peerDisk().drbdName());
            if (peerDevice.peerDisk() == DiskState.DISKLESS) {
                out.print(indent, " peer-client:" + DrbdWords.yesNo(peerDevice.peerClient()));
            }
            peerDevice.donePercent().ifPresent(done -> out.print(8, " done:" + DrbdWords.twoDecimals(done)));
            if (verbose || !peerDevice.resyncSuspended().isEmpty()) {
                out.print(8, " resync-suspended:" + DrbdWords.listOrNo(peerDevice.resyncSuspended()));
            }
            if (statistics) {
                out.print(8, "\n");
                peerDeviceStatistics(out, peerDevice);
            }
        }
        out.newline();
    }

    private void peerDeviceStatistics(WrapWriter out, PeerDeviceStatus peerDevice) {
        PeerDeviceStatistics s = peerDevice.statistics();
        out.print(8, " received:" + s.receivedKiB());
        out.print(8, " sent:" + s.sentKiB());
        if (verbose || s.outOfSyncKiB() != 0) {
            out.print(8, " out-of-sync:" + s.outOfSyncKiB());
        }
        if (!verbose) {
            return;
        }
        out.print(8, " pending:" + s.pending());
        out.print(8, " unacked:" + s.unacked());
        if (s.hasSyncDetails() || s.hasOnlineVerifyDetails()) {
            // As drbdsetup: the short-term rate is always printed (0.00 before any data moved), an unknown ETA as nan.
            out.print(8, " dbdt1:" + DrbdWords.twoDecimals(peerDevice.rateKiBPerSec().orElse(0) / 1024.0));
            out.print(8, " eta:" + (peerDevice.etaSeconds().isPresent()
                ? Long.toString(peerDevice.etaSeconds().getAsLong()) : "nan"));
        }
    }
}

package io.replicator.cli.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The resources' status as Prometheus metric families, built at scrape time from the same {@link ResourceStatus}
 * snapshots that {@code status} and {@code events} print: one snapshot per resource per scrape, so the families of
 * one scrape agree with each other and with {@code status --statistics}, and nothing is added to the write path.
 *
 * <p>Labels: {@code resource}; {@code volume} (the volume number) on device and peer-device families; {@code peer}
 * (the connection's name, the peer's host name) on connection and peer-device families. States are OpenMetrics state
 * sets with DRBD's spelling: every state of the enum is a sample, 1 for the current one and 0 for the rest. Byte
 * counts are the snapshot's KiB times 1024. Resync families exist only while a resync (or online verify, for the
 * done ratio) runs, the round trip only once a ping was answered on the current connection. {@code docs/operations.md}
 * lists every family.
 */
public final class StatusMetrics implements MultiCollector {
    private final Supplier<List<ResourceStatus>> source;

    /** @param source the snapshots to show, taken anew for each scrape */
    public StatusMetrics(Supplier<List<ResourceStatus>> source) {
        this.source = source;
    }

    @Override
    public MetricSnapshots collect() {
        return of(source.get());
    }

    /** Every family for {@code resources}; families without a sample are left out. */
    public static MetricSnapshots of(List<ResourceStatus> resources) {
        StateSetFamily role = new StateSetFamily("replicator_role", "This node's role in the resource.");
        StateSetFamily disk = new StateSetFamily("replicator_disk_state", "The local disk state of the volume.");
        GaugeFamily size = new GaugeFamily("replicator_device_size_bytes", "The usable size of the volume.",
            Unit.BYTES);
        StateSetFamily connection = new StateSetFamily("replicator_connection_state",
            "The connection state toward the peer.");
        StateSetFamily peerRole = new StateSetFamily("replicator_peer_role",
            "The peer's role as it last reported it (Unknown while not connected).");
        GaugeFamily apInFlight = new GaugeFamily("replicator_ap_in_flight_bytes",
            "Application writes sent to the peer and not yet confirmed by its barrier ack (ap-in-flight).", Unit.BYTES);
        GaugeFamily rsInFlight = new GaugeFamily("replicator_rs_in_flight_bytes",
            "Resync data requested from the peer and not yet answered (rs-in-flight).", Unit.BYTES);
        GaugeFamily rtt = new GaugeFamily("replicator_ping_rtt_seconds",
            "Round trip of the last keep-alive ping the peer answered on the current connection.", Unit.SECONDS);
        StateSetFamily replication = new StateSetFamily("replicator_replication_state",
            "The replication state of the volume toward the peer.");
        StateSetFamily peerDisk = new StateSetFamily("replicator_peer_disk_state",
            "The peer's disk state of the volume (DUnknown while not connected).");
        CounterFamily sent = new CounterFamily("replicator_sent_bytes",
            "Write and resync payload sent to the peer for the volume since the resource came up here.");
        CounterFamily received = new CounterFamily("replicator_received_bytes",
            "Write and resync payload received from the peer for the volume since the resource came up here.");
        GaugeFamily pending = new GaugeFamily("replicator_pending_requests",
            "Requests sent to the peer and not yet answered: writes waiting for the ack their protocol asks for, "
                + "resync requests waiting for data (pending).", null);
        GaugeFamily unacked = new GaugeFamily("replicator_unacked_requests",
            "Requests received from the peer and not yet acknowledged to it (unacked).", null);
        GaugeFamily outOfSync = new GaugeFamily("replicator_out_of_sync_bytes",
            "Data marked out of sync toward the peer in this node's bitmap (out-of-sync).", Unit.BYTES);
        GaugeFamily done = new GaugeFamily("replicator_resync_done_ratio",
            "Progress of the running resync or online verify, 0 to 1.", Unit.RATIO);
        GaugeFamily remaining = new GaugeFamily("replicator_resync_remaining_bytes",
            "Data the running resync still has to copy (the out-of-sync bytes while resyncing).", Unit.BYTES);
        GaugeFamily rate = new GaugeFamily("replicator_resync_rate_bytes_per_second",
            "Resync rate over the last few seconds.", null);
        GaugeFamily eta = new GaugeFamily("replicator_resync_eta_seconds",
            "Estimated time until the running resync finishes at the current rate.", Unit.SECONDS);

        for (ResourceStatus resource : resources) {
            String name = resource.name();
            role.add(Labels.of("resource", name), Role.values(), Role::drbdName, resource.role());
            for (DeviceStatus device : resource.devices()) {
                Labels labels = Labels.of("resource", name, "volume", Integer.toString(device.volume()));
                disk.add(labels, DiskState.values(), DiskState::drbdName, device.disk());
                size.add(labels, device.statistics().sizeKiB() * 1024.0);
            }
            for (ConnectionStatus peer : resource.connections()) {
                Labels labels = Labels.of("peer", peer.peerName(), "resource", name);
                connection.add(labels, ConnectionState.values(), ConnectionState::drbdName, peer.connection());
                peerRole.add(labels, Role.values(), Role::drbdName, peer.peerRole());
                apInFlight.add(labels, peer.statistics().apInFlightKiB() * 1024.0);
                rsInFlight.add(labels, peer.statistics().rsInFlightKiB() * 1024.0);
                if (peer.connection() == ConnectionState.CONNECTED) {
                    peer.statistics().pingRttNanos().ifPresent(nanos -> rtt.add(labels, Unit.nanosToSeconds(nanos)));
                }
                for (PeerDeviceStatus device : peer.peerDevices()) {
                    Labels deviceLabels = Labels.of("peer", peer.peerName(), "resource", name, "volume",
                        Integer.toString(device.volume()));
                    PeerDeviceStatistics statistics = device.statistics();
                    replication.add(deviceLabels, ReplicationState.values(), ReplicationState::drbdName,
                        device.replication());
                    peerDisk.add(deviceLabels, DiskState.values(), DiskState::drbdName, device.peerDisk());
                    sent.add(deviceLabels, statistics.sentKiB() * 1024.0);
                    received.add(deviceLabels, statistics.receivedKiB() * 1024.0);
                    pending.add(deviceLabels, statistics.pending());
                    unacked.add(deviceLabels, statistics.unacked());
                    outOfSync.add(deviceLabels, statistics.outOfSyncKiB() * 1024.0);
                    device.donePercent().ifPresent(percent -> done.add(deviceLabels, percent / 100.0));
                    if (statistics.hasSyncDetails()) {
                        remaining.add(deviceLabels, statistics.outOfSyncKiB() * 1024.0);
                    }
                    device.rateKiBPerSec().ifPresent(kib -> rate.add(deviceLabels, kib * 1024.0));
                    device.etaSeconds().ifPresent(seconds -> eta.add(deviceLabels, seconds));
                }
            }
        }
        List<MetricSnapshot> families = new ArrayList<>();
        for (Family family : List.of(role, disk, size, connection, peerRole, apInFlight, rsInFlight, rtt, replication,
            peerDisk, sent, received, pending, unacked, outOfSync, done, remaining, rate, eta)) {
            MetricSnapshot snapshot = family.build();
            if (!snapshot.getDataPoints().isEmpty()) {
                families.add(snapshot);
            }
        }
        return new MetricSnapshots(families);
    }

    /** One metric family being filled; a family without samples is left out of the scrape. */
    private interface Family {
        MetricSnapshot build();
    }

    /** A state set: every constant of an enum, 1 for the current one. */
    private static final class StateSetFamily implements Family {
        private final StateSetSnapshot.Builder builder;

        StateSetFamily(String name, String help) {
            this.builder = StateSetSnapshot.builder().name(name).help(help);
        }

        <E extends Enum<E>> void add(Labels labels, E[] states, Function<E, String> spelling,
                                     E current) {
            StateSetSnapshot.StateSetDataPointSnapshot.Builder point =
                StateSetSnapshot.StateSetDataPointSnapshot.builder().labels(labels);
            for (E state : states) {
                point.state(spelling.apply(state), state == current);
            }
            builder.dataPoint(point.build());
        }

        @Override
        public MetricSnapshot build() {
            return builder.build();
        }
    }

    /** A gauge. */
    private static final class GaugeFamily implements Family {
        private final GaugeSnapshot.Builder builder;

        GaugeFamily(String name, String help, Unit unit) {
            GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
            this.builder = unit == null ? gauge : gauge.unit(unit);
        }

        void add(Labels labels, double value) {
            builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        @Override
        public MetricSnapshot build() {
            return builder.build();
        }
    }

    /** A counter of bytes; the exposition adds {@code _total}. */
    private static final class CounterFamily implements Family {
        private final CounterSnapshot.Builder builder;

        CounterFamily(String name, String help) {
            this.builder = CounterSnapshot.builder().name(name).help(help).unit(Unit.BYTES);
        }

        void add(Labels labels, double value) {
            builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        @Override
        public MetricSnapshot build() {
            return builder.build();
        }
    }
}

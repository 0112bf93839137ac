package io.replicator.cli.output;

import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code wait-connect} and {@code wait-sync} print while they wait: a pure function of the status snapshot, the
 * terminal width and the time waited so far.
 *
 * <p>Each object that has not reached the goal gets one line. A peer device in a resync or verify shows its state,
 * progress, rate and ETA; on a terminal with a bar, as plain lines without one:
 *
 * <pre>
 * r0/0 bravo: SyncTarget [=======>............] 42.3% 81.2 MiB/s eta 0:00:12
 * r0/0 bravo: SyncTarget 42.3% 81.2 MiB/s eta 0:00:12
 * r0/0 bravo: PausedSyncT (user) 42.3%
 * r0 charlie: Connecting (waited 0:00:05)
 * </pre>
 *
 * <p>Every terminal line fits the width: the bar shrinks, then goes, then the line is cut.
 */
public final class SyncProgress {
    /** The narrowest bar worth drawing, inside its brackets. */
    static final int MIN_BAR = 10;
    /** The widest bar drawn, inside its brackets. */
    static final int MAX_BAR = 40;

    /** What a {@code wait-*} command waits for. */
    public enum Goal {
        /** Every connection of the resource is Connected ({@code wait-connect}). */
        CONNECTED,
        /** Connected, every peer device Established, and the disks on both sides UpToDate ({@code wait-sync}). */
        IN_SYNC
    }

    private SyncProgress() {
    }

    /** Whether every resource of {@code statuses} has reached {@code goal}. */
    public static boolean reached(Goal goal, List<ResourceStatus> statuses) {
        return statuses.stream().allMatch(r -> pending(goal, r, 0, Integer.MAX_VALUE, false).isEmpty());
    }

    /** Plain lines, one for each object that has not reached {@code goal}, for output that is not a terminal. */
    public static List<String> lines(Goal goal, List<ResourceStatus> statuses, long elapsedMs) {
        List<String> lines = new ArrayList<>();
        statuses.forEach(r -> lines.addAll(pending(goal, r, elapsedMs, Integer.MAX_VALUE, false)));
        return lines;
    }

    /** The same lines with a progress bar for each resync or verify, each at most {@code width} columns. */
    public static List<String> bars(Goal goal, List<ResourceStatus> statuses, int width, long elapsedMs) {
        List<String> lines = new ArrayList<>();
        statuses.forEach(r -> lines.addAll(pending(goal, r, elapsedMs, Math.max(1, width), true)));
        return lines;
    }

    /** The last lines, once {@code goal} is reached: one per resource. */
    public static List<String> finished(Goal goal, List<ResourceStatus> statuses, long elapsedMs) {
        List<String> lines = new ArrayList<>();
        for (ResourceStatus resource : statuses) {
            List<String> peers = resource.connections().stream().map(ConnectionStatus::peerName).sorted().toList();
            String what = goal == Goal.CONNECTED ? "connected to " : "in sync with ";
            lines.add(resource.name() + ": " + (peers.isEmpty() ? "no peers configured"
                : what + String.join(", ", peers)) + " (" + duration(elapsedMs / 1000) + ")");
        }
        return lines;
    }

    private static List<String> pending(Goal goal, ResourceStatus resource, long elapsedMs, int width,
                                        boolean withBars) {
        List<String> lines = new ArrayList<>();
        String waited = " (waited " + duration(elapsedMs / 1000) + ")";
        for (ConnectionStatus connection : resource.connections()) {
            if (connection.connection() != ConnectionState.CONNECTED) {
                lines.add(fit(resource.name() + " " + connection.peerName() + ": "
                    + connection.connection().drbdName() + waited, width));
                continue;
            }
            if (goal == Goal.CONNECTED) {
                continue;
            }
            for (PeerDeviceStatus peerDevice : connection.peerDevices()) {
                Optional<DeviceStatus> local = resource.devices().stream()
                    .filter(d -> d.volume() == peerDevice.volume()).findFirst();
                if (!inSync(local, peerDevice)) {
                    String label = resource.name() + "/" + peerDevice.volume() + " " + connection.peerName() + ": ";
                    lines.add(peerDeviceLine(label, local, peerDevice, waited, width, withBars));
                }
            }
        }
        if (goal == Goal.IN_SYNC) {
            for (DeviceStatus device : resource.devices()) {
                boolean covered = resource.connections().stream().anyMatch(c -> c.peerDevices().stream()
                    .anyMatch(p -> p.volume() == device.volume()));
                if (!covered && !diskDone(device.disk(), device.client())) {
                    lines.add(fit(resource.name() + "/" + device.volume() + ": disk:" + device.disk().drbdName()
                        + waited, width));
                }
            }
        }
        return lines;
    }

    /** Established, and the disks on both sides UpToDate (or a permanent diskless client). */
    private static boolean inSync(Optional<DeviceStatus> local, PeerDeviceStatus peerDevice) {
        return peerDevice.replication() == ReplicationState.ESTABLISHED
            && local.map(d -> diskDone(d.disk(), d.client())).orElse(true)
            && diskDone(peerDevice.peerDisk(), peerDevice.peerClient());
    }

    private static boolean diskDone(DiskState disk, boolean client) {
        return disk == DiskState.UP_TO_DATE || (disk == DiskState.DISKLESS && client);
    }

    private static String peerDeviceLine(String label, Optional<DeviceStatus> local, PeerDeviceStatus peerDevice,
                                         String waited, int width, boolean withBars) {
        ReplicationState replication = peerDevice.replication();
        if (!replication.isSyncing() && !replication.isVerifying()) {
            return fit(label + replication.drbdName()
                + local.map(d -> " disk:" + d.disk().drbdName()).orElse("")
                + " peer-disk:" + peerDevice.peerDisk().drbdName() + waited, width);
        }
        String state = replication.drbdName() + (peerDevice.resyncSuspended().isEmpty() ? ""
            : " (" + String.join(",", peerDevice.resyncSuspended()) + ")");
        String done = peerDevice.donePercent().isPresent() ? percent(peerDevice.donePercent().getAsDouble()) : "";
        String rest = done;
        if (!replication.isPaused()) {
            String rate = peerDevice.rateKiBPerSec().isPresent() ? rate(peerDevice.rateKiBPerSec().getAsLong())
                : "-- MiB/s";
            String eta = "eta " + (peerDevice.etaSeconds().isPresent()
                ? duration(peerDevice.etaSeconds().getAsLong()) : "--:--:--");
            rest = (done.isEmpty() ? "" : done + " ") + rate + " " + eta;
        }
        if (withBars && peerDevice.donePercent().isPresent()) {
            int barRoom = width - (label.length() + state.length() + rest.length() + 4);
            int barWidth = Math.min(MAX_BAR, barRoom);
            if (barWidth >= MIN_BAR) {
                return label + state + " " + bar(peerDevice.donePercent().getAsDouble(), barWidth) + " " + rest;
            }
        }
        return fit(label + state + (rest.isEmpty() ? "" : " " + rest), width);
    }

    /** {@code [=====>.....]} with {@code width} columns between the brackets. */
    static String bar(double donePercent, int width) {
        int filled = (int) Math.floor(Math.max(0, Math.min(100, donePercent)) * width / 100.0);
        StringBuilder bar = new StringBuilder(width + 2).append('[');
        bar.append("=".repeat(filled));
        if (filled < width) {
            bar.append('>').append(".".repeat(width - filled - 1));
        }
        return bar.append(']').toString();
    }

    /** One decimal, rounded down so that an unfinished resync never shows 100.0%. */
    static String percent(double donePercent) {
        return String.format(Locale.ROOT, "%.1f%%", Math.floor(donePercent * 10) / 10);
    }

    /** KiB/s below 1 MiB/s, else MiB/s or GiB/s with one decimal. */
    static String rate(long kiBPerSec) {
        if (kiBPerSec < 1024) {
            return kiBPerSec + " KiB/s";
        }
        if (kiBPerSec < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB/s", kiBPerSec / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f GiB/s", kiBPerSec / (1024.0 * 1024.0));
    }

    /** {@code H:MM:SS}. */
    static String duration(long seconds) {
        long s = Math.max(0, seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static String fit(String line, int width) {
        return line.length() <= width ? line : line.substring(0, width);
    }
}

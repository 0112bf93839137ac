package io.replicator.cli.output;

import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.HelperEvent;
import io.replicator.core.state.PathStatus;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ResourceStatus;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Prints {@code drbdsetup events2} lines (drbd.md §8): {@code ACTION OBJECT key:val ...}, one per line.
 *
 * <p>Each object is named by its identifying keys: a resource by {@code name}; a device by {@code name volume minor}
 * ({@code name volume} when destroyed); a connection by {@code name peer-node-id conn-name}; a peer device by those
 * and {@code volume}; a path by those and {@code local peer}. {@code exists} and {@code create} lines list every
 * state key; {@code change} lines list only the keys that changed, in DRBD's groups: a resource's
 * {@code may_promote} and {@code promotion_score} go together, a device's {@code backing_dev disk client open quorum}
 * go together, and a peer device's {@code peer-disk} goes with {@code peer-client}. A peer device's {@code done:}
 * follows whenever a resync or verify is running and the line is printed. Objects are compared by their identity:
 * devices by volume, connections by peer node-id, peer devices by volume, paths by both addresses.
 *
 * <p>With timestamps, each line starts with the local time as drbdsetup prints it,
 * {@code 2024-05-01T12:34:56.123456+02:00 }, taken from the injected clock and its zone.
 */
public final class EventsFormatter {
    private static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private final Optional<Clock> timestamps;

    /** A formatter whose lines start with a timestamp from {@code timestamps} when present ({@code --timestamps}). */
    public EventsFormatter(Optional<Clock> timestamps) {
        this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
    }

    /** The initial dump: an {@code exists} line for every object of {@code snapshot}, then {@code exists -}. */
    public String exists(List<ResourceStatus> snapshot) {
        List<String> lines = new ArrayList<>();
        for (ResourceStatus resource : snapshot) {
            appendAll(lines, "exists", resource);
        }
        lines.add("exists -");
        return join(lines);
    }

    /** The {@code create}, {@code change} and {@code destroy} lines that lead from {@code before} to {@code after}. */
    public String changes(List<ResourceStatus> before, List<ResourceStatus> after) {
        List<String> lines = new ArrayList<>();
        for (ResourceStatus resource : after) {
            Optional<ResourceStatus> old = before.stream().filter(r -> r.name().equals(resource.name())).findFirst();
            if (old.isPresent()) {
                new ResourceDiff(old.get(), resource, lines).run();
            } else {
                appendAll(lines, "create", resource);
            }
        }
        for (ResourceStatus resource : before) {
            if (after.stream().noneMatch(r -> r.name().equals(resource.name()))) {
                destroyAll(lines, resource);
            }
        }
        return join(lines);
    }

    /** The {@code call helper} line, or the {@code response helper} line once the handler has exited. */
    public String helper(HelperEvent event) {
        StringBuilder line = new StringBuilder(event.isResponse() ? "response" : "call").append(" helper name:")
            .append(event.resource());
        event.peerNodeId().ifPresent(id -> line.append(" peer-node-id:").append(id).append(" conn-name:")
            .append(event.peerName()));
        event.volume().ifPresent(volume -> line.append(" volume:").append(volume));
        line.append(" helper:").append(event.helper());
        event.status().ifPresent(status -> line.append(" status:").append(status));
        return join(List.of(line.toString()));
    }

    private void appendAll(List<String> lines, String action, ResourceStatus resource) {
        lines.add(action + " " + EventKeys.resource(resource));
        for (DeviceStatus device : resource.devices()) {
            lines.add(action + " " + EventKeys.deviceId(resource, device) + EventKeys.deviceState(device));
        }
        for (ConnectionStatus connection : resource.connections()) {
            lines.add(action + " " + EventKeys.connectionId(resource, connection)
                + EventKeys.connectionState(connection, true, true));
        }
        for (ConnectionStatus connection : resource.connections()) {
            for (PeerDeviceStatus peerDevice : connection.peerDevices()) {
                lines.add(action + " " + EventKeys.peerDeviceId(resource, connection, peerDevice)
                    + EventKeys.peerDeviceState(null, peerDevice));
            }
        }
        for (ConnectionStatus connection : resource.connections()) {
            for (PathStatus path : connection.paths()) {
                lines.add(action + " " + EventKeys.pathId(resource, connection, path) + EventKeys.pathState(path));
            }
        }
    }

    private static void destroyAll(List<String> lines, ResourceStatus resource) {
        for (ConnectionStatus connection : resource.connections()) {
            for (PathStatus path : connection.paths()) {
                lines.add("destroy " + EventKeys.pathId(resource, connection, path));
            }
            for (PeerDeviceStatus peerDevice : connection.peerDevices()) {
                lines.add("destroy " + EventKeys.peerDeviceId(resource, connection, peerDevice));
            }
            lines.add("destroy " + EventKeys.connectionId(resource, connection));
        }
        for (DeviceStatus device : resource.devices()) {
            lines.add("destroy " + EventKeys.deviceDestroyId(resource, device));
        }
        lines.add("destroy resource name:" + resource.name());
    }

    private String join(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            timestamps.ifPresent(clock -> text.append(TIMESTAMP.format(ZonedDateTime.now(clock))).append(' '));
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** The change lines of one resource that exists before and after. */
    private static final class ResourceDiff {
        private final ResourceStatus old;
        private final ResourceStatus now;
        private final List<String> lines;

        ResourceDiff(ResourceStatus old, ResourceStatus now, List<String> lines) {
            this.old = old;
            this.now = now;
            this.lines = lines;
        }

        void run() {
            String resourceChange = EventKeys.resourceChange(old, now);
            if (!resourceChange.isEmpty()) {
                lines.add("change resource name:" + now.name() + resourceChange);
            }
            devices();
            connections();
            peerDevicesAndPaths();
            destroyed();
        }

        private void devices() {
            for (DeviceStatus device : now.devices()) {
                Optional<DeviceStatus> was = device(old, device.volume());
                if (was.isEmpty()) {
                    lines.add("create " + EventKeys.deviceId(now, device) + EventKeys.deviceState(device));
                } else if (EventKeys.deviceChanged(was.get(), device)) {
                    lines.add("change " + EventKeys.deviceId(now, device) + EventKeys.deviceState(device));
                }
            }
        }

        private void connections() {
            for (ConnectionStatus connection : now.connections()) {
                Optional<ConnectionStatus> was = connection(old, connection.peerNodeId());
                if (was.isEmpty()) {
                    lines.add("create " + EventKeys.connectionId(now, connection)
                        + EventKeys.connectionState(connection, true, true));
                    continue;
                }
                boolean state = was.get().connection() != connection.connection();
                boolean role = was.get().peerRole() != connection.peerRole();
                if (state || role) {
                    lines.add("change " + EventKeys.connectionId(now, connection)
                        + EventKeys.connectionState(connection, state, role));
                }
            }
        }

        private void peerDevicesAndPaths() {
            for (ConnectionStatus connection : now.connections()) {
                Optional<ConnectionStatus> was = connection(old, connection.peerNodeId());
                for (PeerDeviceStatus peerDevice : connection.peerDevices()) {
                    PeerDeviceStatus before = was.flatMap(c -> peerDevice(c, peerDevice.volume())).orElse(null);
                    String state = EventKeys.peerDeviceState(before, peerDevice);
                    if (before == null || !state.isEmpty()) {
                        lines.add((before == null ? "create " : "change ")
                            + EventKeys.peerDeviceId(now, connection, peerDevice) + state);
                    }
                }
                for (PathStatus path : connection.paths()) {
                    Optional<PathStatus> before = was.flatMap(c -> path(c, path));
                    if (before.isEmpty()) {
                        lines.add("create " + EventKeys.pathId(now, connection, path) + EventKeys.pathState(path));
                    } else if (before.get().established() != path.established()) {
                        lines.add("change " + EventKeys.pathId(now, connection, path) + EventKeys.pathState(path));
                    }
                }
            }
        }

        private void destroyed() {
            for (ConnectionStatus connection : old.connections()) {
                Optional<ConnectionStatus> still = connection(now, connection.peerNodeId());
                for (PathStatus path : connection.paths()) {
                    if (still.flatMap(c -> path(c, path)).isEmpty()) {
                        lines.add("destroy " + EventKeys.pathId(now, connection, path));
                    }
                }
                for (PeerDeviceStatus peerDevice : connection.peerDevices()) {
                    if (still.flatMap(c -> peerDevice(c, peerDevice.volume())).isEmpty()) {
                        lines.add("destroy " + EventKeys.peerDeviceId(now, connection, peerDevice));
                    }
                }
                if (still.isEmpty()) {
                    lines.add("destroy " + EventKeys.connectionId(now, connection));
                }
            }
            for (DeviceStatus device : old.devices()) {
                if (device(now, device.volume()).isEmpty()) {
                    lines.add("destroy " + EventKeys.deviceDestroyId(now, device));
                }
            }
        }

        private static Optional<DeviceStatus> device(ResourceStatus resource, int volume) {
            return resource.devices().stream().filter(d -> d.volume() == volume).findFirst();
        }

        private static Optional<ConnectionStatus> connection(ResourceStatus resource, int peerNodeId) {
            return resource.connections().stream().filter(c -> c.peerNodeId() == peerNodeId).findFirst();
        }

        private static Optional<PeerDeviceStatus> peerDevice(ConnectionStatus connection, int volume) {
            return connection.peerDevices().stream().filter(p -> p.volume() == volume).findFirst();
        }

        private static Optional<PathStatus> path(ConnectionStatus connection, PathStatus path) {
            return connection.paths().stream()
                .filter(p -> p.local().equals(path.local()) && p.peer().equals(path.peer())).findFirst();
        }
    }
}

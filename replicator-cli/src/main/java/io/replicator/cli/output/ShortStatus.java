package io.replicator.cli.output;

import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.ResourceStatus;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The one-line answers of {@code dstate}, {@code cstate} and {@code role} (drbd.md §8), without the newline. */
public final class ShortStatus {
    private ShortStatus() {
    }

    /**
     * {@code dstate}: the local disk state of {@code volume}, then the peer's disk state of that volume for each
     * connection in order, separated by {@code /}, e.g. {@code UpToDate/UpToDate}.
     *
     * @throws IllegalArgumentException if the resource has no such volume
     */
    public static String dstate(ResourceStatus resource, int volume) {
        DeviceStatus device = resource.devices().stream().filter(d -> d.volume() == volume).findFirst()
            .orElseThrow(() -> new IllegalArgumentException(resource.name() + ": no volume " + volume));
        Stream<String> peers = resource.connections().stream().flatMap(c -> c.peerDevices().stream())
            .filter(p -> p.volume() == volume).map(p -> p.peerDisk().drbdName());
        return Stream.concat(Stream.of(device.disk().drbdName()), peers).collect(Collectors.joining("/"));
    }

    /** {@code cstate}: the connection state, e.g. {@code Connected}. */
    public static String cstate(ConnectionStatus connection) {
        return connection.connection().drbdName();
    }

    /** {@code role}: this node's role, e.g. {@code Primary}. */
    public static String role(ResourceStatus resource) {
        return resource.role().drbdName();
    }

    /** {@code peer-role}: the peer's role, e.g. {@code Secondary}, or {@code Unknown} while not connected. */
    public static String peerRole(ConnectionStatus connection) {
        return connection.peerRole().drbdName();
    }
}

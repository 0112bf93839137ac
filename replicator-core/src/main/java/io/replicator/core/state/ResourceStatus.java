package io.replicator.core.state;

import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of one resource as {@code drbdsetup status} and {@code events2} show it: the daemon produces
 * it, the formatters print it.
 *
 * @param name the resource name
 * @param nodeId this node's node-id in the resource (printed by {@code --verbose} and {@code --json})
 * @param role this node's role
 * @param suspended why I/O is suspended, in DRBD's order and spelling ({@code user}, {@code no-data},
 *     {@code fencing}, {@code quorum}); empty when I/O runs
 * @param forceIoFailures whether I/O is failed instead of frozen ({@code force-io-failures})
 * @param mayPromote whether a promotion would succeed now ({@code may_promote})
 * @param promotionScore how good a promotion candidate this node is ({@code promotion_score}); higher is better
 * @param devices the volumes, by ascending volume number
 * @param connections the peers, by ascending peer node-id
 */
public record ResourceStatus(String name, int nodeId, Role role, List<String> suspended, boolean forceIoFailures,
                             boolean mayPromote, int promotionScore, List<DeviceStatus> devices,
                             List<ConnectionStatus> connections) {
    /** Checks for nulls and copies the lists. */
    public ResourceStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        suspended = List.copyOf(suspended);
        devices = List.copyOf(devices);
        connections = List.copyOf(connections);
    }

    /** Whether I/O is suspended for any reason. */
    public boolean isSuspended() {
        return !suspended.isEmpty();
    }
}

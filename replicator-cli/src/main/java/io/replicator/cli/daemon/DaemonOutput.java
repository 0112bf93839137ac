package io.replicator.cli.daemon;

import io.replicator.cli.output.GenerationIdLine;
import io.replicator.cli.output.ShortStatus;
import io.replicator.cli.output.StatusFormatter;
import io.replicator.cli.output.StatusJson;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.resource.ResourceConductor;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.ResourceStatus;

import java.util.List;
import java.util.function.Function;

/** The one place where the daemon turns snapshots into the text of status and the one-fact commands. */
final class DaemonOutput {
    private DaemonOutput() {
    }

    static String status(List<ResourceStatus> statuses, boolean json, boolean verbose, boolean statistics) {
        return json ? StatusJson.format(statuses) : new StatusFormatter(verbose, statistics).format(statuses);
    }

    /** {@code role}, {@code cstate}, {@code dstate} or {@code get-gi}: one line per resource, connection or volume. */
    static String fact(String verb, List<ResourceStatus> statuses, Function<String, ResourceConductor> conductors) {
        StringBuilder text = new StringBuilder();
        for (ResourceStatus status : statuses) {
            switch (verb) {
                case "role" -> text.append(ShortStatus.role(status)).append('\n');
                case "cstate" -> status.connections().forEach(c -> text.append(ShortStatus.cstate(c)).append('\n'));
                case "dstate" -> status.devices().forEach(d ->
                    text.append(ShortStatus.dstate(status, d.volume())).append('\n'));
                case "get-gi" -> getGi(status, conductors.apply(status.name()), text);
                default -> throw new IllegalArgumentException(verb);
            }
        }
        return text.toString();
    }

    /** One line per volume and peer, as {@code drbdadm get-gi} prints them. */
    private static void getGi(ResourceStatus status, ResourceConductor conductor, StringBuilder text) {
        for (DeviceStatus device : status.devices()) {
            conductor.superblock(device.volume()).ifPresent(superblock -> {
                GenerationIds ids = superblock.generationIds();
                for (ConnectionStatus connection : status.connections()) {
                    int slot = slotOf(superblock, connection.peerNodeId());
                    long bitmap = slot < 0 ? 0 : ids.bitmap(slot);
                    int peerFlags = slot < 0 ? 0 : superblock.peers().get(slot).flags();
                    text.append(GenerationIdLine.format(ids.current(), bitmap, ids.history(), superblock.flags(),
                        peerFlags)).append('\n');
                }
            });
        }
    }

    private static int slotOf(Superblock superblock, int nodeId) {
        for (int slot = 0; slot < superblock.peers().size(); slot++) {
            if (superblock.peers().get(slot).nodeId() == nodeId) {
                return slot;
            }
        }
        return -1;
    }
}

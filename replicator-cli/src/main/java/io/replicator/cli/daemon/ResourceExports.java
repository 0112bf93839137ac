package io.replicator.cli.daemon;

import io.replicator.core.config.VolumeConfig;
import io.replicator.core.resource.ResourceConductor;
import io.replicator.core.state.Role;
import io.replicator.net.nbd.NbdExport;
import io.replicator.net.nbd.NbdExports;
import io.replicator.net.nbd.ReplicatedVolumeBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The NBD exports of one resource: one per volume ({@code RES} for volume 0, {@code RES/N} for volume N), offered
 * only while this node is Primary. A Secondary refuses the attach at the handshake (NBD_REP_ERR_UNKNOWN with the
 * reason), rather than offering a read-only device that would go stale under the Primary's writes.
 */
final class ResourceExports implements NbdExports {
    private final ResourceConductor conductor;
    private final String node;

    ResourceExports(ResourceConductor conductor, String node) {
        this.conductor = conductor;
        this.node = node;
    }

    /** The export name of {@code volume}. */
    static String exportName(String resource, int volume) {
        return volume == 0 ? resource : resource + "/" + volume;
    }

    /** Every export name the resource can have, served or not. */
    List<String> names() {
        return conductor.self().volumes().stream().map(v -> exportName(conductor.name(), v.number())).toList();
    }

    @Override
    public List<NbdExport> list() {
        List<NbdExport> exports = new ArrayList<>();
        for (VolumeConfig volume : conductor.self().volumes()) {
            conductor.io(volume.number()).ifPresent(io -> exports.add(new NbdExport(
                exportName(conductor.name(), volume.number()),
                "replicator " + conductor.name() + " volume " + volume.number() + " on " + node + " (Primary)",
                new ReplicatedVolumeBackend(io), false)));
        }
        return exports;
    }

    @Override
    public Optional<NbdExport> find(String name) {
        String wanted = name.isEmpty() ? conductor.name() : name;
        return list().stream().filter(export -> export.name().equals(wanted)).findFirst();
    }

    @Override
    public String whyNot(String name) {
        String wanted = name.isEmpty() ? conductor.name() : name;
        if (!names().contains(wanted)) {
            return "no export named '" + wanted + "' here (exports of " + conductor.name() + ": "
                + String.join(", ", names()) + ")";
        }
        if (conductor.role() != Role.PRIMARY) {
            return conductor.name() + " is Secondary on node " + node + ": promote it with 'replicator primary "
                + conductor.name() + "', or attach to the Primary's export";
        }
        return wanted + " has no disk attached on node " + node;
    }
}

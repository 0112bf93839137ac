package io.replicator.cli.command.metadata;

import io.replicator.cli.GlobalOptions;
import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.command.HelpOption;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.core.config.HostConfig;
import io.replicator.core.config.VolumeConfig;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.metadata.VolumeStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.List;

/** {@code create-md RES[/VOL]}: writes fresh metadata, creating a file-backed disk of the configured size if missing. */
@Command(name = "create-md", description = "Write fresh metadata (creates a missing file-backed disk of 'disk { size }').")
public final class CreateMdCommand implements Runnable {
    @Mixin
    HelpOption help;

    @ParentCommand
    ReplicatorCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RESOURCE[/VOLUME]", description = "The resource, or one of its volumes.")
    String target;

    @Option(names = "--max-peers", paramLabel = "N",
        description = "Peer slots to reserve (1..32; default: the number of configured peers).")
    Integer maxPeers;

    @Option(names = "--force", description = "Overwrite existing metadata: its generation ids and bitmap are lost.")
    boolean force;

    @Override
    public void run() {
        GlobalOptions.Selection selection = root.global().select(target);
        HostConfig host = selection.host();
        List<Integer> peerIds = selection.resource().peersOf(host.name()).stream().map(HostConfig::nodeId).toList();
        int slots = maxPeers != null ? maxPeers : Math.max(1, peerIds.size());
        if (slots < 1 || slots > MetadataLayout.MAX_PEERS || slots < peerIds.size()) {
            throw new CommandFailure(ExitCode.FAILURE, "--max-peers " + slots + " must be between "
                + Math.max(1, peerIds.size()) + " (the configured peers) and " + MetadataLayout.MAX_PEERS);
        }
        PrintWriter out = spec.commandLine().getOut();
        SecureRandom random = new SecureRandom();
        for (VolumeConfig volume : selection.volumes()) {
            String name = selection.resource().name() + "/" + volume.number();
            try {
                if (!force && VolumeStorage.hasMetadata(volume)) {
                    throw new CommandFailure(ExitCode.FAILURE, name + ": " + volume.disk()
                        + " already holds metadata; its generation ids and bitmap would be lost. "
                        + "Use --force to overwrite it.");
                }
                BackingDisk.Format format = new BackingDisk.Format(host.nodeId(), peerIds, slots, volume.alExtents(),
                    volume.sizeBytes(), random.nextLong());
                try (BackingDisk disk = VolumeStorage.create(volume, format)) {
                    MetadataLayout layout = disk.layout();
                    out.printf("%s: initializing activity log (%d KiB)%n", name, layout.alSizeBytes() / 1024);
                    out.printf("%s: initializing bitmap (%d KiB) to all zero for %d peer slot(s)%n", name,
                        layout.bitmapSlotBytes() * layout.maxPeers() / 1024, layout.maxPeers());
                    out.printf("%s: new metadata written to %s (%s, %d bytes of data)%n", name,
                        layout.internal() ? volume.disk() : volume.metaDisk(), layout.internal() ? "internal"
                            : "external", layout.dataSizeBytes());
                }
            } catch (IOException failure) {
                throw new CommandFailure(ExitCode.FAILURE, name + ": " + failure.getMessage());
            }
        }
    }
}

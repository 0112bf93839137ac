package io.replicator.cli.command.metadata;

import io.replicator.cli.GlobalOptions;
import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.command.HelpOption;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.cli.output.MetadataDump;
import io.replicator.core.activitylog.ActivityLog;
import io.replicator.core.activitylog.AlReplay;
import io.replicator.core.bitmap.BitmapStore;
import io.replicator.core.config.VolumeConfig;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.metadata.VolumeStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;

/** {@code dump-md RES[/VOL]}: prints the metadata: generation ids, flags, layout and a bitmap summary. */
@Command(name = "dump-md", description = "Print the metadata: generation ids, flags, bitmap summary.")
public final class DumpMdCommand implements Runnable {
    @Mixin
    HelpOption help;

    @ParentCommand
    ReplicatorCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RESOURCE[/VOLUME]", description = "The resource, or one of its volumes.")
    String target;

    @Override
    public void run() {
        GlobalOptions.Selection selection = root.global().select(target);
        for (VolumeConfig volume : selection.volumes()) {
            String name = selection.resource().name() + "/" + volume.number();
            try (BackingDisk disk = VolumeStorage.open(volume)) {
                MetadataLayout layout = disk.layout();
                BitmapStore bitmaps = new BitmapStore(disk.bitmapArea(), layout.dataSizeBytes(), layout.maxPeers());
                bitmaps.load();
                long[] outOfSync = new long[layout.maxPeers()];
                for (int slot = 0; slot < outOfSync.length; slot++) {
                    outOfSync[slot] = bitmaps.bitmap(slot).cardinality();
                }
                AlReplay replay = ActivityLog.replay(disk.activityLogArea());
                MetadataDump.print(spec.commandLine().getOut(), name, volume, disk, outOfSync, replay);
            } catch (IOException failure) {
                throw new CommandFailure(ExitCode.FAILURE, name + ": " + failure.getMessage());
            }
        }
    }
}

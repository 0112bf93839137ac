package io.replicator.cli.command.demo;

import io.replicator.cli.ReplicatorCommand;
import io.replicator.cli.command.HelpOption;
import io.replicator.cli.output.CommandFailure;
import io.replicator.cli.output.ExitCode;
import io.replicator.core.activitylog.ActivityLog;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.config.ConfigException;
import io.replicator.core.config.Configuration;
import io.replicator.core.config.HostConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.config.VolumeConfig;
import io.replicator.core.disk.AttachedDisk;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.generation.PeerSlots;
import io.replicator.core.generation.SyncDecider;
import io.replicator.core.generation.SyncDecision;
import io.replicator.core.generation.SyncInput;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.metadata.VolumeStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code demo}: the quickstart on the embedded default two-node config. Today it shows the storage core end to end —
 * metadata, generation ids and the sync decision, the bitmap and the activity log across a crash; replication, the
 * NBD export and failover join it as they land.
 */
@Command(name = "demo", description = "Quickstart on the embedded two-node config, in a scratch folder.")
public final class DemoCommand implements Runnable {
    @Mixin
    HelpOption help;

    private static final String CONFIG_RESOURCE = "/io/replicator/cli/demo/two-node.res";
    private static final String CONFIG_PATHS = "/tmp/replicator";
    private static final int HOT_EXTENTS = 3;

    @ParentCommand
    ReplicatorCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Scratch folder (default: a new temporary folder).")
    Path dir;

    @Option(names = "--writes", paramLabel = "N", defaultValue = "2000",
        description = "4 KiB writes made while the peer is away (default: ${DEFAULT-VALUE}).")
    int writes;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the write pattern (default: random).")
    Long seed;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("replicator-demo-");
            long patternSeed = seed != null ? seed : new SplittableRandom().nextLong();
            new Run(out, scratch, patternSeed).all();
        } catch (IOException failure) {
            throw new CommandFailure(ExitCode.FAILURE, "demo: " + failure.getMessage());
        } catch (ConfigException invalid) {
            throw new CommandFailure(ExitCode.INVALID_CONFIG, "demo: embedded config: " + invalid.getMessage());
        }
    }

    /** One run of the demo. */
    private final class Run {
        private final PrintWriter out;
        private final Path scratch;
        private final long patternSeed;

        Run(PrintWriter out, Path scratch, long patternSeed) {
            this.out = out;
            this.scratch = scratch;
            this.patternSeed = patternSeed;
        }

        void all() throws IOException, ConfigException {
            out.println("replicator demo: the storage core on the embedded two-node config");
            out.println("(replication over the network and failover join this demo as they land; the NBD export is in "
                + "the README tour)");
            ResourceConfig resource = config();
            HostConfig alpha = resource.requireHost("alpha");
            HostConfig bravo = resource.requireHost("bravo");
            VolumeConfig alphaVolume = alpha.volume(0).orElseThrow();
            VolumeConfig bravoVolume = bravo.volume(0).orElseThrow();

            step(2, "create-md on both nodes");
            for (HostConfig host : List.of(alpha, bravo)) {
                VolumeConfig volume = host.volume(0).orElseThrow();
                BackingDisk.Format format = new BackingDisk.Format(host.nodeId(),
                    resource.peersOf(host.name()).stream().map(HostConfig::nodeId).toList(), 1, volume.alExtents(),
                    volume.sizeBytes(), new SplittableRandom(patternSeed + host.nodeId()).nextLong());
                try (BackingDisk disk = VolumeStorage.create(volume, format)) {
                    out.printf("      %s: %s, %d MiB of data, metadata internal, current id %s%n", host.name(),
                        volume.disk(), disk.layout().dataSizeBytes() >> 20, hex(disk.metadata().current().currentUuid()));
                }
            }

            step(3, "the connect-time decision");
            SplittableRandom ids = new SplittableRandom(patternSeed);
            GenerationIds bravoIds = read(bravoVolume).generationIds();
            out.println("      both just created:      " + decide(read(alphaVolume).generationIds(), bravoIds, true));
            GenerationIds promoted;
            try (AttachedDisk disk = attach(alphaVolume)) {
                Superblock before = disk.backing().metadata().current();
                promoted = before.generationIds().newCurrent(ids, true, PeerSlots.none());
                disk.backing().metadata().write(before.withGenerationIds(promoted)
                    .withFlag(MetadataFlag.PRIMARY_IND, true));
            }
            out.println("      alpha made primary:     " + decide(promoted, bravoIds, true));
            out.println("      (the initial full sync over the network is the resync issue's; the demo marks");
            out.println("      bravo up to date by giving it alpha's ids, as new-current-uuid --clear-bitmap does)");
            try (AttachedDisk disk = attach(bravoVolume)) {
                Superblock current = disk.backing().metadata().current();
                disk.backing().metadata().write(current.withGenerationIds(
                    current.generationIds().resyncFinishedAsTarget(0, promoted)));
                bravoIds = disk.backing().metadata().current().generationIds();
            }
            out.println("      after the initial sync: " + decide(promoted, bravoIds, true));

            step(4, "bravo goes away; alpha writes " + writes + " random 4 KiB blocks into " + HOT_EXTENTS
                + " hot 4 MiB regions");
            BitSet written = new BitSet();
            AttachedDisk alphaDisk = attach(alphaVolume);
            Superblock current = alphaDisk.backing().metadata().current();
            GenerationIds rotated = current.generationIds().newCurrent(ids, true, PeerSlots.of(0));
            alphaDisk.backing().metadata().write(current.withGenerationIds(rotated));
            long extents = alphaDisk.data().sizeBytes() / ActivityLog.EXTENT_BYTES;
            long blocksPerExtent = ActivityLog.EXTENT_BYTES / DirtyBitmap.BLOCK_BYTES;
            SplittableRandom pattern = new SplittableRandom(patternSeed);
            long[] hot = pattern.longs(extents > HOT_EXTENTS ? HOT_EXTENTS : extents, 0, extents).toArray();
            ByteBuffer data = ByteBuffer.allocateDirect((int) DirtyBitmap.BLOCK_BYTES);
            for (int i = 0; i < writes; i++) {
                long block = hot[pattern.nextInt(hot.length)] * blocksPerExtent + pattern.nextLong(blocksPerExtent);
                long offset = block * DirtyBitmap.BLOCK_BYTES;
                if (alphaDisk.activityLog().tryBeginWrite(offset, DirtyBitmap.BLOCK_BYTES) != ActivityLog.OK) {
                    throw new IllegalStateException("activity log full with no write in flight");
                }
                alphaDisk.markOutOfSync(0, offset, DirtyBitmap.BLOCK_BYTES);
                data.clear().putLong(0, block).putLong(8, patternSeed);
                alphaDisk.data().write(data, offset);
                alphaDisk.activityLog().endWrite(offset, DirtyBitmap.BLOCK_BYTES);
                written.set((int) block);
            }
            out.printf("      %d distinct blocks written; %d KiB marked out of sync toward bravo; %d activity-log "
                    + "transactions; %d extents hot%n", written.cardinality(),
                alphaDisk.bitmaps().bitmap(0).cardinality() * 4, alphaDisk.activityLog().transactionsWritten(),
                alphaDisk.activityLog().activeCount());

            step(5, "alpha crashes (no clean detach) and attaches again");
            alphaDisk.backing().close();
            boolean allMarked;
            long marked;
            try (AttachedDisk reattached = attach(alphaVolume)) {
                DirtyBitmap bitmap = reattached.bitmaps().bitmap(0);
                allMarked = written.stream().allMatch(bitmap::get);
                marked = bitmap.cardinality();
                out.printf("      activity log replayed: %d extents marked; crashed primary: %s%n",
                    reattached.replayedExtents(),
                    reattached.backing().metadata().current().has(MetadataFlag.CRASHED_PRIMARY) ? "yes" : "no");
                out.printf("      every written block is marked out of sync: %s (%d KiB to resync of %d MiB)%n",
                    allMarked ? "yes" : "NO", marked * 4, reattached.data().sizeBytes() >> 20);
                out.println("      bravo comes back:       "
                    + decide(reattached.backing().metadata().current().generationIds(), bravoIds, false));
            }

            step(6, "summary");
            out.printf("      scratch folder %s; rerun this pattern with --seed %d%n", scratch, patternSeed);
            out.printf("      %s%n", allMarked ? "OK: every write made while bravo was away is marked; the resync after "
                + "alpha's crash is bounded by the activity log to " + marked * 4 + " KiB, not the whole volume"
                : "FAILED: some written block is unmarked");
            if (!allMarked) {
                throw new CommandFailure(ExitCode.FAILURE, "demo: the bitmap lost a write");
            }
        }

        private ResourceConfig config() throws IOException, ConfigException {
            String text;
            try (InputStream in = DemoCommand.class.getResourceAsStream(CONFIG_RESOURCE)) {
                if (in == null) {
                    throw new IOException("the embedded config " + CONFIG_RESOURCE + " is missing from the jar");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Path config = scratch.resolve("two-node.res");
            Files.writeString(config, text.replace(CONFIG_PATHS, scratch.toString()));
            step(1, "config written to " + config + " (nodes alpha and bravo, volumes in " + scratch + ")");
            return Configuration.load(config).resource("r0");
        }

        private AttachedDisk attach(VolumeConfig volume) throws IOException {
            return AttachedDisk.attach(VolumeStorage.open(volume), volume.alExtents());
        }

        private Superblock read(VolumeConfig volume) throws IOException {
            try (BackingDisk disk = VolumeStorage.open(volume)) {
                return disk.metadata().current();
            }
        }

        private String decide(GenerationIds alphaIds, GenerationIds bravoIds, boolean alphaPrimaryNow) {
            SyncDecision decision = SyncDecider.decide(
                SyncInput.of(alphaIds, 0).withPrimary(alphaPrimaryNow).withResolveConflicts(true),
                SyncInput.of(bravoIds, 0));
            return "alpha " + decision.logLine();
        }

        private void step(int number, String text) {
            out.printf("[%d/6] %s%n", number, text);
            out.flush();
        }
    }

    private static String hex(long value) {
        return String.format("0x%016X", value);
    }
}

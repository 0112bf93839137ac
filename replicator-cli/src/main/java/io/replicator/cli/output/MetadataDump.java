package io.replicator.cli.output;

import io.replicator.core.activitylog.AlReplay;
import io.replicator.core.config.VolumeConfig;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.metadata.PeerFlag;
import io.replicator.core.metadata.PeerSlot;
import io.replicator.core.metadata.Superblock;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.metadata.SuperblockDescriptor;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints metadata in the shape of {@code drbdmeta dump-md}: one {@code key value;} per line, a block per peer slot,
 * the history, and the layout; {@code #} comments decode flags and ids for people.
 */
public final class MetadataDump {
    private MetadataDump() {
    }

    /**
     * Prints {@code disk}'s metadata; {@code outOfSyncBlocks[slot]} is the number of bits set on disk for that slot,
     * {@code activityLog} what a replay of the ring finds.
     */
    public static void print(PrintWriter out, String name, VolumeConfig volume, BackingDisk disk,
                             long[] outOfSyncBlocks, AlReplay activityLog) {
        Superblock superblock = disk.metadata().current();
        MetadataLayout layout = superblock.layout();
        out.printf("# replicator metadata of %s (disk %s, meta-disk %s)%n", name, volume.disk(), volume.metaDisk());
        out.printf("version \"v%d\";%n", SuperblockDescriptor.VERSION);
        out.printf("node-id %d;%n", superblock.nodeId());
        out.printf("max-peers %d;%n", layout.maxPeers());
        out.printf("current-uuid %s;%s%n", hex(superblock.currentUuid()), describeUuid(superblock.currentUuid()));
        out.printf("flags 0x%08X; # %s%n", superblock.flags(), MetadataFlag.describe(superblock.flags()));
        List<PeerSlot> peers = superblock.peers();
        for (int slot = 0; slot < peers.size(); slot++) {
            PeerSlot peer = peers.get(slot);
            out.printf("peer[%d] {%n", slot);
            out.printf("    node-id %d;%n", peer.nodeId());
            out.printf("    bitmap-index %d;%n", slot);
            out.printf("    bitmap-uuid %s;%n", hex(peer.bitmapUuid()));
            out.printf("    flags 0x%08X; # %s%n", peer.flags(), PeerFlag.describe(peer.flags()));
            long blocks = slot < outOfSyncBlocks.length ? outOfSyncBlocks[slot] : 0;
            out.printf("    out-of-sync %d KiB; # %d of %d blocks%n", blocks * MetadataLayout.BITMAP_BLOCK_BYTES / 1024,
                blocks, layout.blockCount());
            out.println("}");
        }
        out.println("history-uuids {");
        for (long uuid : superblock.history()) {
            out.printf("    %s;%n", hex(uuid));
        }
        out.println("}");
        out.printf("device-uuid %s;%n", hex(superblock.deviceUuid()));
        out.printf("la-size-sect %d; # %d bytes of data%n", layout.dataSizeBytes() / 512, layout.dataSizeBytes());
        out.printf("al-extents %d;%n", superblock.alExtents());
        out.printf("bm-byte-per-bit %d;%n", MetadataLayout.BITMAP_BLOCK_BYTES);
        out.printf("# meta-data %s: %d bytes at offset %d; activity log %d bytes at +%d; bitmap %d bytes per peer at +%d%n",
            layout.internal() ? "internal" : "external", layout.metadataSizeBytes(), layout.metadataStartBytes(),
            layout.alSizeBytes(), layout.alOffsetBytes(), layout.bitmapSlotBytes(), layout.bitmapOffsetBytes());
        long[] active = activityLog.activeExtents();
        out.printf("# activity log: %d active extent(s) of 4 MiB in %d transaction(s)%s%n", active.length,
            activityLog.transactions(), superblock.has(MetadataFlag.AL_CLEAN) ? ", shut down cleanly"
                : active.length == 0 ? "" : "; attach will mark them out of sync");
        out.printf("# superblock sequence %d%n", superblock.sequence());
    }

    private static String hex(long value) {
        return String.format("0x%016X", value);
    }

    private static String describeUuid(long uuid) {
        if (uuid == GenerationIds.UUID_JUST_CREATED) {
            return " # just created";
        }
        return (uuid & 1) == 1 ? " # primary" : "";
    }
}

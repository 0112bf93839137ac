package io.replicator.core.metadata;

import io.replicator.core.generation.LastWrite;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * On-disk format of the metadata superblock, version 1. Every on-disk format of ours is little-endian.
 *
 * <pre>
 *  offset size field
 *     0    4  magic                 0x5250_4D44 ("RPMD" read as big-endian)
 *     4    4  version               1
 *     8    8  sequence              bumped on every write; the valid copy with the larger value is current
 *    16    8  data size (bytes)
 *    24    8  device uuid
 *    32    8  current generation id (bit 0 = primary)
 *    40    4  flags                 MetadataFlag bits
 *    44    4  node id
 *    48    4  max peers             1..32
 *    52    4  al-extents
 *    56    1  internal              1 = metadata at the end of the backing storage
 *    57    7  reserved (0)
 *    64    8  metadata area start   (in the volume that holds it)
 *    72    8  metadata area size
 *    80    8  superblock offset     (inside the metadata area)
 *    88    8  activity-log offset
 *    96    8  activity-log size
 *   104    8  bitmap offset
 *   112    8  bitmap bytes per peer slot
 *   120    8  boot id of the last attach (0 = unknown)
 *   128  512  32 peer slots of 16 bytes: { u64 bitmap uuid, u32 flags, i32 node id (-1 = unassigned) }
 *   640    4  history count         0..32
 *   644    4  reserved (0)
 *   648  256  32 history ids, newest first (unused entries 0)
 *   904    4  last write's Primary node id + 1 (0 = none; see {@link Superblock#lastWrite()})
 *   908    4  reserved (0)
 *   912    8  last write's id in that Primary's transfer log
 *   920    8  followed-from generation id (0 = none; see {@link Superblock#followedFrom()})
 *   928 3164  reserved (0)
 *  4092    4  CRC32C of bytes [0, 4092)
 * </pre>
 *
 * <p>Two copies, A and B, lie side by side; a write goes to the copy that does not hold the current sequence, so a
 * torn write (bad CRC) leaves the other copy, one update older, intact.
 */
public final class SuperblockDescriptor {
    /** Size of one superblock copy. */
    public static final int SUPERBLOCK_BYTES = 4096;
    /** "RPMD". */
    public static final int MAGIC = 0x5250_4D44;
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;
    /** History ids kept, as DRBD 9. */
    public static final int HISTORY_SIZE = 32;
    /** Peer slot records stored (the format always has room for 32). */
    public static final int PEER_SLOT_RECORDS = 32;

    static final int SEQUENCE_OFFSET = 8;
    private static final int PEERS_OFFSET = 128;
    private static final int PEER_RECORD_BYTES = 16;
    private static final int HISTORY_COUNT_OFFSET = 640;
    private static final int HISTORY_OFFSET = 648;
    private static final int LAST_WRITE_NODE_OFFSET = 904;
    private static final int LAST_WRITE_ID_OFFSET = 912;
    private static final int FOLLOWED_FROM_OFFSET = 920;
    static final int CRC_OFFSET = SUPERBLOCK_BYTES - 4;

    private SuperblockDescriptor() {
    }

    /** Encodes {@code superblock} into a fresh 4 KiB little-endian buffer, CRC included, positioned at 0. */
    public static ByteBuffer encode(Superblock superblock) {
        ByteBuffer buffer = ByteBuffer.allocate(SUPERBLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        MetadataLayout layout = superblock.layout();
        buffer.putInt(0, MAGIC)
            .putInt(4, VERSION)
            .putLong(SEQUENCE_OFFSET, superblock.sequence())
            .putLong(16, layout.dataSizeBytes())
            .putLong(24, superblock.deviceUuid())
            .putLong(32, superblock.currentUuid())
            .putInt(40, superblock.flags())
            .putInt(44, superblock.nodeId())
            .putInt(48, layout.maxPeers())
            .putInt(52, superblock.alExtents())
            .put(56, (byte) (layout.internal() ? 1 : 0))
            .putLong(64, layout.metadataStartBytes())
            .putLong(72, layout.metadataSizeBytes())
            .putLong(80, layout.superblockOffsetBytes())
            .putLong(88, layout.alOffsetBytes())
            .putLong(96, layout.alSizeBytes())
            .putLong(104, layout.bitmapOffsetBytes())
            .putLong(112, layout.bitmapSlotBytes())
            .putLong(120, superblock.bootId());
        for (int slot = 0; slot < PEER_SLOT_RECORDS; slot++) {
            PeerSlot peer = slot < superblock.peers().size() ? superblock.peers().get(slot) : PeerSlot.EMPTY;
            int at = PEERS_OFFSET + slot * PEER_RECORD_BYTES;
            buffer.putLong(at, peer.bitmapUuid()).putInt(at + 8, peer.flags()).putInt(at + 12, peer.nodeId());
        }
        List<Long> history = superblock.history();
        buffer.putInt(HISTORY_COUNT_OFFSET, history.size());
        for (int i = 0; i < history.size(); i++) {
            buffer.putLong(HISTORY_OFFSET + i * 8, history.get(i));
        }
        LastWrite lastWrite = superblock.lastWrite();
        buffer.putInt(LAST_WRITE_NODE_OFFSET, lastWrite.node() + 1).putLong(LAST_WRITE_ID_OFFSET, lastWrite.id());
        buffer.putLong(FOLLOWED_FROM_OFFSET, superblock.followedFrom());
        buffer.putInt(CRC_OFFSET, crc(buffer));
        return buffer;
    }

    /**
     * Decodes a superblock copy, or returns empty when the copy is not a valid version-1 superblock (wrong magic,
     * torn or corrupt: bad CRC, or fields out of range). {@code buffer} holds 4 KiB from position 0.
     */
    public static Optional<Superblock> decode(ByteBuffer buffer) {
        ByteBuffer in = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (in.limit() < SUPERBLOCK_BYTES || in.getInt(0) != MAGIC || in.getInt(CRC_OFFSET) != crc(in)) {
            return Optional.empty();
        }
        if (in.getInt(4) != VERSION) {
            throw new MetadataException("metadata format version " + in.getInt(4)
                + " is not supported (this build reads version " + VERSION + ")");
        }
        try {
            MetadataLayout layout = new MetadataLayout(in.get(56) == 1, in.getLong(16), in.getInt(48),
                in.getLong(64), in.getLong(72), in.getLong(80), in.getLong(88), in.getLong(96), in.getLong(104),
                in.getLong(112));
            List<PeerSlot> peers = new ArrayList<>(layout.maxPeers());
            for (int slot = 0; slot < layout.maxPeers(); slot++) {
                int at = PEERS_OFFSET + slot * PEER_RECORD_BYTES;
                peers.add(new PeerSlot(in.getInt(at + 12), in.getLong(at), in.getInt(at + 8)));
            }
            int historyCount = in.getInt(HISTORY_COUNT_OFFSET);
            if (historyCount < 0 || historyCount > HISTORY_SIZE) {
                return Optional.empty();
            }
            List<Long> history = new ArrayList<>(historyCount);
            for (int i = 0; i < historyCount; i++) {
                history.add(in.getLong(HISTORY_OFFSET + i * 8));
            }
            int lastWriteNode = in.getInt(LAST_WRITE_NODE_OFFSET) - 1;
            LastWrite lastWrite = lastWriteNode < 0 ? LastWrite.NONE
                : new LastWrite(lastWriteNode, in.getLong(LAST_WRITE_ID_OFFSET));
            return Optional.of(new Superblock(in.getLong(SEQUENCE_OFFSET), in.getLong(24), in.getInt(44),
                in.getInt(52), in.getInt(40), layout, in.getLong(32), peers, history, in.getLong(120), lastWrite,
                in.getLong(FOLLOWED_FROM_OFFSET)));
        } catch (IllegalArgumentException outOfRange) {
            return Optional.empty();
        }
    }

    private static int crc(ByteBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(0).limit(CRC_OFFSET));
        return (int) crc.getValue();
    }
}

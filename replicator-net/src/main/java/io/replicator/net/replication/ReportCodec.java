package io.replicator.net.replication;

import io.replicator.core.generation.GenerationIds;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import io.replicator.net.protocol.FrameDescriptor;
import io.replicator.net.protocol.PeerMessage;

import java.util.List;

/**
 * A {@link VolumeReport} on the wire: UUIDS, SIZES and STATE of the volume, in that order (DRBD's P_UUIDS110,
 * P_SIZES, P_STATE). UUIDS' flags: bit 0 crashed primary, bit 1 skip initial sync, bit 2 discard my data, bit 3
 * restarted unclean, bit 4 serves another Primary, bit 5 lost quorum as Primary, bit 6 completed writes since its last
 * promotion, bit 7 Inconsistent data following a Primary's generation, bits 8–15
 * the sender's bitmap slot for the receiver (0xFF = none), bits 16–63 the sender's dirty blocks toward the receiver
 * (DRBD's dirty_bits). STATE carries role and disk state as the ordinals of the core enums, and the last write the
 * sender applied from a Primary (its node id + 1 in the low byte of the flags, 0 for none; the write's id).
 */
final class ReportCodec {
    static final long FLAG_CRASHED_PRIMARY = 1;
    static final long FLAG_SKIP_INITIAL_SYNC = 2;
    static final long FLAG_DISCARD_MY_DATA = 4;
    static final long FLAG_RESTARTED_UNCLEAN = 8;
    static final long FLAG_SERVES_PRIMARY = 16;
    static final long FLAG_LOST_QUORUM = 32;
    static final long FLAG_ACKED_AS_PRIMARY = 64;
    static final long FLAG_FOLLOWS_PRIMARY = 128;
    private static final int SLOT_SHIFT = 8;
    private static final int DIRTY_SHIFT = 16;

    private ReportCodec() {
    }

    static List<PeerMessage> encode(VolumeReport report) {
        long flags = (report.crashedPrimary() ? FLAG_CRASHED_PRIMARY : 0)
            | (report.skipInitialSync() ? FLAG_SKIP_INITIAL_SYNC : 0)
            | (report.discardMyData() ? FLAG_DISCARD_MY_DATA : 0)
            | (report.restartedUnclean() ? FLAG_RESTARTED_UNCLEAN : 0)
            | (report.servesPrimary() ? FLAG_SERVES_PRIMARY : 0)
            | (report.lostQuorumAsPrimary() ? FLAG_LOST_QUORUM : 0)
            | (report.ackedAsPrimary() ? FLAG_ACKED_AS_PRIMARY : 0)
            | (report.followsPrimary() ? FLAG_FOLLOWS_PRIMARY : 0)
            | ((long) (report.peerSlot() & 0xFF) << SLOT_SHIFT)
            | (Math.min(report.dirtyBlocks(), -1L >>> DIRTY_SHIFT) << DIRTY_SHIFT);
        GenerationIds ids = report.ids();
        return List.of(
            new PeerMessage.Uuids(report.volume(), ids.current(), ids.bitmaps(), ids.history(), flags),
            new PeerMessage.Sizes(report.volume(), report.dataBytes(), report.dataBytes(),
                FrameDescriptor.MAX_DATA_BYTES),
            new PeerMessage.State(report.volume(), report.role().ordinal(), report.disk().ordinal(),
                (report.lastWrite().node() + 1) & 0xFF, report.lastWrite().id()));
    }

    /**
     * The report the three messages make.
     *
     * @throws IllegalArgumentException if they do not describe one volume or carry impossible values
     */
    static VolumeReport decode(PeerMessage.Uuids uuids, PeerMessage.Sizes sizes, PeerMessage.State state) {
        if (uuids.volume() != state.volume() || sizes.volume() != state.volume()) {
            throw new IllegalArgumentException("report messages for volumes " + uuids.volume() + ", "
                + sizes.volume() + ", " + state.volume());
        }
        Role[] roles = Role.values();
        DiskState[] disks = DiskState.values();
        if (state.role() >= roles.length || state.disk() >= disks.length) {
            throw new IllegalArgumentException("state role " + state.role() + " disk " + state.disk());
        }
        int slot = (int) (uuids.flags() >>> SLOT_SHIFT) & 0xFF;
        GenerationIds ids = GenerationIds.of(uuids.current(), uuids.bitmaps(), uuids.history());
        if (slot >= ids.peerSlots()) {
            throw new IllegalArgumentException("peer slot " + slot + " of " + ids.peerSlots());
        }
        return new VolumeReport(state.volume(), ids, slot, sizes.currentBytes(), roles[state.role()],
            disks[state.disk()], (uuids.flags() & FLAG_CRASHED_PRIMARY) != 0,
            (uuids.flags() & FLAG_SKIP_INITIAL_SYNC) != 0, uuids.flags() >>> DIRTY_SHIFT,
            (uuids.flags() & FLAG_DISCARD_MY_DATA) != 0, (uuids.flags() & FLAG_RESTARTED_UNCLEAN) != 0,
            (uuids.flags() & FLAG_SERVES_PRIMARY) != 0, lastWrite(state), (uuids.flags() & FLAG_LOST_QUORUM) != 0,
            (uuids.flags() & FLAG_ACKED_AS_PRIMARY) != 0, (uuids.flags() & FLAG_FOLLOWS_PRIMARY) != 0);
    }

    private static LastWrite lastWrite(PeerMessage.State state) {
        int node = (state.flags() & 0xFF) - 1;
        return node < 0 ? LastWrite.NONE : new LastWrite(node, state.lastWrite());
    }
}

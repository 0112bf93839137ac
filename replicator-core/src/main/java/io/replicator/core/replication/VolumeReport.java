package io.replicator.core.replication;

import io.replicator.core.generation.GenerationIds;
import io.replicator.core.generation.LastWrite;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;

import java.util.Objects;

/**
 * What one node tells a peer about one of its volumes when they connect, and again when it changes its generation
 * (DRBD's P_UUIDS110 + P_SIZES + P_STATE in one).
 *
 * @param volume          the volume number
 * @param ids             the sender's generation ids
 * @param peerSlot        the sender's bitmap slot for the receiver
 * @param dataBytes       size of the sender's data area
 * @param role            the sender's role
 * @param disk            the sender's disk state
 * @param crashedPrimary  the sender crashed (or lost its peers) as Primary and has not resynced since
 * @param skipInitialSync the sender's new current id is to be adopted as is: fresh identical disks
 *                        ({@code new-current-uuid --clear-bitmap})
 * @param dirtyBlocks     blocks the sender has marked out of sync toward the receiver (its bitmap's weight), for
 *                        the split-brain policies that count changes
 * @param restartedUnclean the sender restarted without a clean shutdown and has not completed a handshake since
 *                        (its unflushed writes may be gone)
 * @param discardMyData   the sender was connected with {@code --discard-my-data}: it gives up its changes in a split
 *                        brain
 * @param servesPrimary   the sender replicates from a Primary other than the receiver: it must not become the
 *                        receiver's sync target (that would change its data under the Primary's writes)
 * @param lastWrite       the last write the sender applied from a Primary: which of two Secondaries that lost
 *                        their Primary got further
 * @param lostQuorumAsPrimary the sender lost quorum while Primary and has not regained it: it completed no write
 *                        since, so in a split brain its side is the one discarded
 * @param ackedAsPrimary the sender completed writes since its last promotion
 * @param followsPrimary the sender's data is Inconsistent and holds some writes of its current generation, taken
 *                        from a Primary: its ids being ahead, it is no one's sync target by its disk state alone
 */
public record VolumeReport(int volume, GenerationIds ids, int peerSlot, long dataBytes, Role role, DiskState disk,
                           boolean crashedPrimary, boolean skipInitialSync, long dirtyBlocks,
                           boolean discardMyData, boolean restartedUnclean, boolean servesPrimary,
                           LastWrite lastWrite, boolean lostQuorumAsPrimary, boolean ackedAsPrimary,
                           boolean followsPrimary) {
    public VolumeReport {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(lastWrite, "lastWrite");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(disk, "disk");
    }
}

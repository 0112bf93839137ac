package io.replicator.core.metadata;

import io.replicator.core.generation.GenerationIds;
import io.replicator.core.generation.LastWrite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The decoded metadata superblock of one volume: identity, layout, flags and generation ids.
 *
 * @param sequence      write counter; of two valid on-disk copies the one with the larger sequence is current
 * @param deviceUuid    random id given at create-md, never changed
 * @param nodeId        this node's id
 * @param alExtents     the activity log's hot-set size when the metadata was written
 * @param flags         {@link MetadataFlag} bits
 * @param layout        where everything lies
 * @param currentUuid   the current generation id (bit 0 = primary flag)
 * @param peers         one entry per peer slot, {@code layout.maxPeers()} of them
 * @param history       the history generation ids, newest first, at most {@link SuperblockDescriptor#HISTORY_SIZE}
 * @param bootId        the boot of the machine (a hash of the kernel's boot id) when the metadata was last attached, 0
 *                      if unknown: an unclean restart within the same boot was a process crash, which loses nothing
 *                      written, while a new boot may have lost what was not flushed
 * @param lastWrite     the last write this node had applied from a Primary when it lost that Primary
 *                      ({@link LastWrite#NONE} otherwise, and once a later session may have brought newer writes): a
 *                      restarted node still knows which of two Secondaries got further ({@link LastWrite})
 * @param followedFrom  while {@code FOLLOWS_PRIMARY}: the current generation id this node held in full before it took
 *                      a Primary's as its own at the start of a resync ({@link GenerationIds#followingPrimary}); 0 if
 *                      it took none (the Primary's was its own already) or follows none
 */
public record Superblock(
    long sequence,
    long deviceUuid,
    int nodeId,
    int alExtents,
    int flags,
    MetadataLayout layout,
    long currentUuid,
    List<PeerSlot> peers,
    List<Long> history,
    long bootId,
    LastWrite lastWrite,
    long followedFrom) {

    /** A superblock that followed no Primary's generation ({@link #followedFrom()} 0). */
    public Superblock(long sequence, long deviceUuid, int nodeId, int alExtents, int flags, MetadataLayout layout,
                      long currentUuid, List<PeerSlot> peers, List<Long> history, long bootId, LastWrite lastWrite) {
        this(sequence, deviceUuid, nodeId, alExtents, flags, layout, currentUuid, peers, history, bootId, lastWrite, 0);
    }

    /** A superblock of an unknown boot that records no last write. */
    public Superblock(long sequence, long deviceUuid, int nodeId, int alExtents, int flags, MetadataLayout layout,
                      long currentUuid, List<PeerSlot> peers, List<Long> history) {
        this(sequence, deviceUuid, nodeId, alExtents, flags, layout, currentUuid, peers, history, 0, LastWrite.NONE);
    }

    public Superblock {
        peers = List.copyOf(peers);
        history = List.copyOf(history);
        Objects.requireNonNull(lastWrite, "lastWrite");
        if (peers.size() != layout.maxPeers()) {
            throw new IllegalArgumentException(peers.size() + " peer slots for max-peers " + layout.maxPeers());
        }
        if (history.size() > SuperblockDescriptor.HISTORY_SIZE) {
            throw new IllegalArgumentException(history.size() + " history ids, at most "
                + SuperblockDescriptor.HISTORY_SIZE);
        }
    }

    /** This superblock with {@code newSequence}. */
    public Superblock withSequence(long newSequence) {
        return new Superblock(newSequence, deviceUuid, nodeId, alExtents, flags, layout, currentUuid, peers, history,
            bootId, lastWrite, followedFrom);
    }

    /** This superblock with {@code newFlags}. */
    public Superblock withFlags(int newFlags) {
        return new Superblock(sequence, deviceUuid, nodeId, alExtents, newFlags, layout, currentUuid, peers, history,
            bootId, lastWrite, followedFrom);
    }

    /** This superblock with {@code flag} set or cleared. */
    public Superblock withFlag(MetadataFlag flag, boolean set) {
        return withFlags(set ? flags | flag.mask() : flags & ~flag.mask());
    }

    /** This superblock recorded as attached in boot {@code newBootId}. */
    public Superblock withBootId(long newBootId) {
        return new Superblock(sequence, deviceUuid, nodeId, alExtents, flags, layout, currentUuid, peers, history,
            newBootId, lastWrite, followedFrom);
    }

    /** This superblock recording {@code newLastWrite}. */
    public Superblock withLastWrite(LastWrite newLastWrite) {
        return new Superblock(sequence, deviceUuid, nodeId, alExtents, flags, layout, currentUuid, peers, history,
            bootId, newLastWrite, followedFrom);
    }

    /** This superblock recording {@code id} as the generation it held before it followed a Primary's (0: none). */
    public Superblock withFollowedFrom(long id) {
        return new Superblock(sequence, deviceUuid, nodeId, alExtents, flags, layout, currentUuid, peers, history,
            bootId, lastWrite, id);
    }

    /**
     * This superblock recording, per assigned peer slot, which peers were told of this node's unclean restart
     * ({@link PeerFlag#TOLD_UNCLEAN}): the nodes in {@code told}, no others.
     */
    public Superblock withToldUnclean(java.util.Set<Integer> told) {
        Superblock next = this;
        for (PeerSlot slot : peers) {
            if (slot.nodeId() >= 0) {
                next = next.withPeerFlag(slot.nodeId(), PeerFlag.TOLD_UNCLEAN, told.contains(slot.nodeId()));
            }
        }
        return next;
    }

    /** Whether {@code flag} is set. */
    public boolean has(MetadataFlag flag) {
        return flag.isSet(flags);
    }

    /** This superblock with new generation ids. */
    public Superblock withGenerationIds(long newCurrent, List<PeerSlot> newPeers, List<Long> newHistory) {
        return new Superblock(sequence, deviceUuid, nodeId, alExtents, flags, layout, newCurrent, newPeers, newHistory,
            bootId, lastWrite, followedFrom);
    }

    /** The generation ids: current, one bitmap id per peer slot, history. */
    public GenerationIds generationIds() {
        long[] bitmaps = peers.stream().mapToLong(PeerSlot::bitmapUuid).toArray();
        return GenerationIds.of(currentUuid, bitmaps, history.stream().mapToLong(Long::longValue).toArray());
    }

    /** This superblock with {@code ids} as its generation ids (one bitmap id per peer slot). */
    public Superblock withGenerationIds(GenerationIds ids) {
        if (ids.peerSlots() != peers.size()) {
            throw new IllegalArgumentException(ids.peerSlots() + " bitmap ids for " + peers.size() + " peer slots");
        }
        List<PeerSlot> newPeers = new ArrayList<>(peers.size());
        for (int slot = 0; slot < peers.size(); slot++) {
            newPeers.add(peers.get(slot).withBitmapUuid(ids.bitmap(slot)));
        }
        List<Long> newHistory = Arrays.stream(ids.history()).filter(id -> id != 0).boxed().toList();
        return withGenerationIds(ids.current(), newPeers, newHistory);
    }

    /** Whether the slot of node {@code peerNodeId} has {@code flag}; false for a node without a slot. */
    public boolean peerHas(int peerNodeId, PeerFlag flag) {
        int slot = slotOf(peerNodeId);
        return slot >= 0 && (peers.get(slot).flags() & flag.mask()) != 0;
    }

    /** This superblock with {@code flag} set or cleared in the slot of node {@code peerNodeId} (if it has one). */
    public Superblock withPeerFlag(int peerNodeId, PeerFlag flag, boolean set) {
        int slot = slotOf(peerNodeId);
        if (slot < 0) {
            return this;
        }
        List<PeerSlot> newPeers = new ArrayList<>(peers);
        PeerSlot old = peers.get(slot);
        newPeers.set(slot, old.withFlags(set ? old.flags() | flag.mask() : old.flags() & ~flag.mask()));
        return withGenerationIds(currentUuid, newPeers, history);
    }

    /** The bitmap slot assigned to node {@code peerNodeId}, or -1 if it has none. */
    public int slotOf(int peerNodeId) {
        for (int slot = 0; slot < peers.size(); slot++) {
            if (peers.get(slot).nodeId() == peerNodeId) {
                return slot;
            }
        }
        return -1;
    }
}

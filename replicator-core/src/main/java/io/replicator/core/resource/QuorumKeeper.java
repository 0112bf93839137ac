package io.replicator.core.resource;

import io.replicator.core.config.ResourceOptions;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the resource's quorum ({@code options { quorum; quorum-minimum-redundancy; on-no-quorum; }}) and carries out
 * what losing and regaining it means. {@link QuorumRules} decides the count; this class gathers what it needs — this
 * node's disk, and per configured peer whether it replicates with us now, its disk and whether it is known
 * Outdated — and acts when the verdict changes.
 *
 * <h2>Losing quorum</h2>
 * A node without quorum cannot be promoted ({@link PromotionRules}), and a Primary without quorum completes no write:
 * its partition may be the minority that another partition outvotes and promotes past. So, before the loss that takes
 * quorum away completes anything (the {@link Connections#lostPeer} of a peer counts every write that waited only for
 * that peer done), the {@link io.replicator.core.replication.TransferLog} holds every write that would complete, and
 * new writes wait in their {@link VolumeIo} before they touch anything ({@code on-no-quorum suspend-io}, the default),
 * or both fail at once ({@code io-error}). A Primary that loses quorum starts no new data generation (its writes are
 * held, not done) and keeps the writes in flight marked for the lost peers; the metadata records
 * {@code PRIMARY_LOST_QUORUM}, and the {@code quorum-lost} handler runs.
 *
 * <h2>Regaining it</h2>
 * Held writes fail: while they waited, the peers may have resynced their ranges from a copy without them (a failed
 * write's range is undefined, as after any failed write). Writes that waited before entering run, in order.
 *
 * <p>Owner lane, except {@link #has()} and the admission, which the data path reads.
 */
final class QuorumKeeper {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    private final QuorumRules.Setting quorum;
    private final QuorumRules.Setting redundancy;
    private final ResourceOptions options;
    private final WriteAdmission admission;
    /** Whether every volume had quorum at the last refresh; none before the first, with quorum on. */
    private volatile boolean has;

    QuorumKeeper(ResourceState state) {
        this.state = state;
        this.options = state.config.options();
        this.admission = state.admission;
        this.quorum = QuorumRules.Setting.parse(options.quorum());
        this.redundancy = QuorumRules.Setting.parse(options.quorumMinimumRedundancy());
        this.has = !enabled();
        if (!has) {
            suspendWrites("no peer counted yet");
        }
    }

    /** Whether quorum is configured at all. */
    boolean enabled() {
        return quorum.kind() != QuorumRules.Setting.Kind.OFF;
    }

    /** Whether the resource has quorum (always, with quorum off). Any thread. */
    boolean has() {
        return has;
    }

    /**
     * A peer's session ended: the transfer log drops it at once (writers waiting only for its acks finish), from the
     * network thread that saw the loss. With quorum on, what that completes is held until the owner has counted
     * the loss ({@link Connections#lostPeer}, then {@link #afterLoss}): if it took quorum away, nothing completes.
     */
    void peerLeaving(PeerRuntime peer) {
        if (enabled() || FencingKeeper.freezesOnLoss(peer)) {
            state.transferLog.holdCompletions();
        }
        state.transferLog.peerLost(peer.nodeId());
    }

    /**
     * The owner counted a loss: with quorum left, the writes held meanwhile complete — unless fencing froze them
     * until the lost peer is fenced ({@link FencingKeeper}). Owner lane.
     */
    void afterLoss() {
        if (has && !state.fencing.freezing()) {
            state.transferLog.releaseHeld();
        }
    }

    /** The verdict for {@code volume} now, counting {@code leaving} (may be null) as gone already. */
    QuorumRules.Verdict verdict(VolumeRuntime volume, PeerRuntime leaving) {
        if (!enabled()) {
            return QuorumRules.Verdict.OFF;
        }
        int number = volume.config().number();
        List<QuorumRules.Peer> peers = new ArrayList<>();
        for (PeerRuntime peer : state.peers.values()) {
            // A peer the transfer log dropped is gone, even before the owner handled its loss.
            boolean connected = peer != leaving && peer.replicating && peer.reports.containsKey(number)
                && state.transferLog.hasPeer(peer.nodeId());
            DiskState disk = connected ? peer.reports.get(number).disk() : DiskState.DUNKNOWN;
            boolean knownOutdated = DiskEdge.peerKnownOutdated(volume, peer.nodeId());
            boolean diskless = peer.host.volumes().stream()
                .anyMatch(v -> v.number() == number && v.diskless());
            peers.add(new QuorumRules.Peer(peer.host.name(), connected, disk, knownOutdated, diskless));
        }
        return QuorumRules.decide(quorum, redundancy, volume.state(), volume.config().diskless(), peers, has);
    }

    /** Why the resource has no quorum now, or empty when it has. */
    String shortfall() {
        return shortfall(null);
    }

    /** Why the resource has no quorum with {@code leaving} (may be null) gone, or empty when it has. */
    private String shortfall(PeerRuntime leaving) {
        for (VolumeRuntime volume : state.volumes) {
            QuorumRules.Verdict verdict = verdict(volume, leaving);
            if (!verdict.quorum()) {
                return "volume " + volume.config().number() + ": " + verdict.shortfall();
            }
        }
        return "";
    }

    /** Recounts after any change; acts when quorum went or came back. Owner lane. */
    void refresh() {
        refresh(null);
    }

    /** Recounts with {@code leaving} gone already (called before its loss completes anything). Owner lane. */
    void refresh(PeerRuntime leaving) {
        if (!enabled()) {
            return;
        }
        recordOutdatedPeers();
        String missing = shortfall(leaving);
        boolean now = missing.isEmpty();
        if (now == has) {
            return;
        }
        has = now;
        if (now) {
            regained();
        } else {
            lost(missing);
        }
    }

    /**
     * Records in each volume's peer slots which connected peers report Outdated data (DRBD's MDF_PEER_OUTDATED), and
     * clears it for those that report anything better: once such a peer is gone, it counts as outdated, not unknown,
     * also after a restart of this node.
     */
    private void recordOutdatedPeers() {
        for (VolumeRuntime volume : state.volumes) {
            if (volume.disk().isEmpty()) {
                continue;
            }
            for (PeerRuntime peer : state.peers.values()) {
                VolumeReport report = peer.replicating ? peer.reports.get(volume.config().number()) : null;
                if (report == null || report.disk() == DiskState.DUNKNOWN) {
                    continue;
                }
                state.disk.recordPeerOutdated(volume, peer.nodeId(), report.disk() == DiskState.OUTDATED);
            }
        }
    }

    private void lost(String why) {
        LOG.log(System.Logger.Level.WARNING, "{0}: quorum lost ({1}){2}", state.config.name(), why,
            state.role == Role.PRIMARY ? (options.failsIoWithoutQuorum() ? "; writes fail (on-no-quorum io-error)"
                : "; writes are suspended until it returns (on-no-quorum suspend-io)") : "");
        suspendWrites(why);
        if (state.role != Role.PRIMARY) {
            return;
        }
        markLostAsPrimary(true);
        if (!state.volumes.isEmpty()) {
            state.config.handler("quorum-lost").ifPresent(command -> state.handlers.invoke("quorum-lost", command,
                state.handlerEnv.environment(state.volumes.get(0))));
        }
    }

    /** Holds or fails what would complete, and what would enter, as {@code on-no-quorum} says. */
    private void suspendWrites(String why) {
        if (options.failsIoWithoutQuorum()) {
            admission.set(WriteAdmission.Cause.QUORUM, WriteAdmission.Mode.FAIL, why);
            state.transferLog.failCompletions(new VolumeIo.NoQuorumException(state.config.name()
                + ": quorum lost while the write was in flight (" + why + ")"));
        } else {
            admission.set(WriteAdmission.Cause.QUORUM, WriteAdmission.Mode.PARK, why);
            state.transferLog.holdCompletions();
        }
    }

    private void regained() {
        LOG.log(System.Logger.Level.INFO, "{0}: quorum {1}", state.config.name(),
            state.role == Role.PRIMARY ? "regained" : "reached");
        // Before new writes enter: only the writes of before the loss fail.
        state.transferLog.completeNormally(new IOException(state.config.name() + ": quorum was lost while the write "
            + "was in flight; it may or may not be on this node and its peers"));
        if (state.fencing.freezing()) {
            state.transferLog.holdCompletions(); // fencing still waits for its handler
        }
        admission.set(WriteAdmission.Cause.QUORUM, WriteAdmission.Mode.OPEN, "");
        markLostAsPrimary(false);
        state.unparkWrites();
    }

    private void markLostAsPrimary(boolean lost) {
        for (VolumeRuntime volume : state.volumes) {
            if (volume.disk().isPresent() && volume.disk().get().backing().metadata().current()
                .has(MetadataFlag.PRIMARY_LOST_QUORUM) != lost) {
                state.disk.writeMetadata(volume, superblock -> superblock.withFlag(MetadataFlag.PRIMARY_LOST_QUORUM,
                    lost));
            }
        }
    }
}

package io.replicator.core.resource;

import io.replicator.core.config.ResourceOptions;
import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;

import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.SyncMessage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 * <h2>Confirming it after a loss</h2>
 * A Primary that keeps quorum after losing a peer counts the others as they look from here — and a peer may be gone
 * already, unnoticed until its pings go unanswered (a cut link, a machine that crashed and rebooted). The writes the
 * loss would complete (they waited only for the lost peer) are then held until every remaining peer answers a
 * {@code PROBE} sent after the loss: completed on a stale view, they could be acknowledged after a newer Primary's,
 * promoted by a partition that holds those very peers (simulation seed -2538523496177977253). A peer that does not
 * answer is lost in time (ping timeout), and the count starts again without it.
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
    /** The probe after a loss whose answers are awaited, or null. Owner lane. */
    private Probe probe;

    /** A {@code PROBE} sent at {@code sent} after a loss: its id and the peers that have not answered yet. */
    private record Probe(long id, long sent, Set<String> awaiting) {
    }

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
    void afterLoss(PeerRuntime lost) {
        probe = null;
        if (!has || state.fencing.freezing()) {
            return;
        }
        if (!enabled() || state.role != Role.PRIMARY) {
            state.transferLog.releaseHeld();
            return;
        }
        Set<String> awaiting = new LinkedHashSet<>();
        long id = state.random.nextLong();
        for (PeerRuntime peer : state.peers.values()) {
            PeerSender sender = peer.sender;
            if (peer != lost && peer.replicating && sender != null && !state.volumes.isEmpty()) {
                awaiting.add(peer.host.name());
                sender.sendSync(SyncMessage.of(SyncMessage.Kind.PROBE, state.volumes.get(0).config().number(), 0, 0,
                    id));
            }
        }
        if (awaiting.isEmpty()) {
            state.transferLog.releaseHeld();
        } else {
            probe = new Probe(id, state.scheduler.nanoTime(), awaiting);
        }
    }

    /** {@code peer} asks whether this node is there: it is. Owner lane. */
    void onProbe(PeerRuntime peer, long id) {
        PeerSender sender = peer.sender;
        if (sender != null && !state.volumes.isEmpty()) {
            sender.sendSync(SyncMessage.of(SyncMessage.Kind.PROBE_REPLY, state.volumes.get(0).config().number(), 0, 0,
                id));
        }
    }

    /** {@code peer} answered probe {@code id}; the last answer releases the held writes. Owner lane. */
    void onProbeReply(PeerRuntime peer, long id) {
        Probe open = probe;
        if (open == null || open.id() != id || !open.awaiting().remove(peer.host.name())
            || !open.awaiting().isEmpty()) {
            return;
        }
        probe = null;
        releaseHeldIfConfirmed();
    }

    /**
     * Periodic: a peer that leaves a probe unanswered for longer than its ping-timeout is dropped (as a ping left
     * unanswered would drop it), and the count starts again without it. Owner lane.
     */
    void checkTimeouts() {
        Probe open = probe;
        if (open == null) {
            return;
        }
        long waited = state.scheduler.nanoTime() - open.sent();
        for (PeerRuntime peer : state.peers.values()) {
            PeerSender sender = peer.sender;
            if (sender != null && open.awaiting().contains(peer.host.name())
                && waited > peer.connection.net().pingTimeoutMs() * 1_000_000L) {
                sender.close("no answer to a probe within ping-timeout");
            }
        }
    }

    /**
     * Lets the writes held at a loss complete, if nothing holds them any more: quorum, no probe waiting for answers,
     * and no fencing freeze. Owner lane.
     */
    void releaseHeldIfConfirmed() {
        if (has && probe == null && !state.fencing.freezing()) {
            state.transferLog.releaseHeld();
            if (state.transferLog.completionsSuspended()) {
                // A demotion while they were held failed them; writes complete normally again.
                state.transferLog.completeNormally(new IOException(state.config.name() + ": I/O was held"));
            }
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
        probe = null;
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

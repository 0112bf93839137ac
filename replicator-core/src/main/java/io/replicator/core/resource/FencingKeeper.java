package io.replicator.core.resource;

import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.StateChangeRefusal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Carries out fencing ({@code net { fencing resource-only|resource-and-stonith; }}, {@code handlers { fence-peer;
 * unfence-peer; }}) as {@link FencingRules} decides it, and the operator's {@code suspend-io} / {@code resume-io}.
 *
 * <h2>A Primary loses a peer</h2>
 * If the peer had good data, {@code fence-peer} runs for it (with the peer's DRBD_PEER_* environment). Under
 * {@code resource-and-stonith} the resource freezes first, before the loss completes anything: the
 * {@link io.replicator.core.replication.TransferLog} holds the writes that waited only for that peer (the network
 * thread that saw the loss holds them, {@link QuorumKeeper#peerLeaving}), and new writes wait in their
 * {@link VolumeIo} ({@code suspended:fencing}). The handler's verdict: the peer outdated, unreachable (with our data
 * UpToDate) or STONITHed — it is recorded Outdated in the peer slots (so quorum's last man standing and the next
 * promotion know), and the held writes complete and the waiting ones run; anything else — the freeze stays until the
 * operator runs {@code resume-io}, who then takes the risk that the peer goes on with its own copy.
 *
 * <h2>A Secondary is promoted</h2>
 * {@link #beforePromotion} fences each peer it does not reach and does not know Outdated, in parallel, before the
 * promotion vote ({@link PromotionVote}); a failure refuses the promotion unless forced.
 *
 * <h2>The peer is back</h2>
 * When a fencing connection is replicating again with UpToDate data on both sides (after its resync),
 * {@code unfence-peer} runs, so that what {@code fence-peer} set up (a cluster manager's constraint) is lifted.
 *
 * <p>Owner lane; handler results come back to it through the scheduler.
 */
final class FencingKeeper {
    private static final System.Logger LOG = System.getLogger(ResourceConductor.class.getName());
    private final ResourceState state;
    /** Lost peers whose fence-peer verdict the freeze waits for, with the attempt that runs for each. */
    private final Map<PeerRuntime, Long> awaiting = new LinkedHashMap<>();
    /** Why fencing a lost peer failed, by peer name: the freeze stays until resume-io. */
    private final Map<String, String> failed = new LinkedHashMap<>();
    /** Fencing peers replicating with UpToDate data on both sides at the last look (unfence-peer runs on the edge). */
    private final Set<PeerRuntime> healthy = new HashSet<>();
    private long attempts;

    FencingKeeper(ResourceState state) {
        this.state = state;
    }

    /** Whether losing {@code peer} may freeze the writes (resource-and-stonith on its connection). Any thread. */
    static boolean freezesOnLoss(PeerRuntime peer) {
        return FencingRules.freezes(peer.connection.net().fencing());
    }

    /** Whether some connection fences at all. */
    boolean enabled() {
        return state.peers.values().stream().anyMatch(peer -> FencingRules.fences(peer.connection.net().fencing()));
    }

    /** Whether the writes are frozen for fencing now. */
    boolean freezing() {
        return state.admission.holds(WriteAdmission.Cause.FENCING);
    }

    /**
     * {@code peer}'s session ended ({@link Connections#lostPeer}, before its loss completes the held writes): fences
     * it if it had good data and this node is Primary.
     */
    void peerLost(PeerRuntime peer, boolean wasReplicating) {
        String fencing = peer.connection.net().fencing();
        List<DiskState> disks = wasReplicating
            ? peer.reports.values().stream().map(VolumeReport::disk).toList() : List.of();
        healthy.remove(peer);
        if (!FencingRules.fenceOnLoss(fencing, state.role, disks)) {
            return;
        }
        long attempt = ++attempts;
        if (FencingRules.freezes(fencing)) {
            awaiting.put(peer, attempt);
            freeze("waiting for fence-peer on " + peer.host.name());
        }
        LOG.log(System.Logger.Level.WARNING, "{0}: lost {1} while Primary (fencing {2}): running fence-peer{3}",
            state.config.name(), peer.host.name(), fencing, FencingRules.freezes(fencing)
                ? "; I/O is frozen until it succeeds or 'resume-io'" : "");
        runFencePeer(peer, status -> lossFenced(peer, attempt, status));
    }

    private void lossFenced(PeerRuntime peer, long attempt, int status) {
        FencingRules.Verdict verdict = FencingRules.verdict(status, upToDateHere());
        boolean waitedFor = awaiting.remove(peer, attempt);
        if (verdict == FencingRules.Verdict.PEER_OUTDATED) {
            LOG.log(System.Logger.Level.INFO, "{0}: fence-peer on {1} exited {2} ({3}): {1} counts as Outdated",
                state.config.name(), peer.host.name(), status, FencingRules.describe(status));
            markOutdated(peer);
        } else if (waitedFor) {
            failed.put(peer.host.name(), "fence-peer on " + peer.host.name() + " exited " + status + " ("
                + FencingRules.describe(status) + ")");
            LOG.log(System.Logger.Level.ERROR, "{0}: {1}; I/O stays frozen until the operator runs ''resume-io''",
                state.config.name(), failed.get(peer.host.name()));
        } else {
            LOG.log(System.Logger.Level.ERROR, "{0}: fence-peer on {1} exited {2} ({3}): {1} may still be promoted "
                + "with its own copy", state.config.name(), peer.host.name(), status, FencingRules.describe(status));
        }
        if (waitedFor) {
            if (awaiting.isEmpty() && failed.isEmpty()) {
                thaw();
            } else if (!failed.isEmpty()) {
                freeze(String.join("; ", failed.values()) + "; 'resume-io' lifts the freeze");
            }
        }
    }

    /**
     * Before promotion: fences, in parallel, every peer this node does not reach and does not know Outdated; then
     * tells {@code then} the refusal, or empty to go on. Every peer fenced is recorded Outdated.
     */
    void beforePromotion(boolean force, Consumer<Optional<Outcome>> then) {
        List<PeerRuntime> unknown = new ArrayList<>();
        for (PeerRuntime peer : state.peers.values()) {
            if (FencingRules.fenceBeforePromotion(peer.connection.net().fencing(), peer.replicating,
                knownOutdated(peer))) {
                unknown.add(peer);
            }
        }
        if (unknown.isEmpty()) {
            then.accept(Optional.empty());
            return;
        }
        Map<PeerRuntime, Integer> results = new LinkedHashMap<>();
        for (PeerRuntime peer : unknown) {
            runFencePeer(peer, status -> {
                results.put(peer, status);
                if (results.size() == unknown.size()) {
                    then.accept(promotionVerdict(force, results));
                }
            });
        }
    }

    private Optional<Outcome> promotionVerdict(boolean force, Map<PeerRuntime, Integer> results) {
        List<String> failures = new ArrayList<>();
        boolean peerPrimary = false;
        for (Map.Entry<PeerRuntime, Integer> result : results.entrySet()) {
            PeerRuntime peer = result.getKey();
            int status = result.getValue();
            FencingRules.Verdict verdict = FencingRules.verdict(status, upToDateHere());
            if (verdict == FencingRules.Verdict.PEER_OUTDATED) {
                markOutdated(peer);
            } else {
                peerPrimary |= verdict == FencingRules.Verdict.PEER_PRIMARY;
                failures.add("fence-peer on " + peer.host.name() + " exited " + status + " ("
                    + FencingRules.describe(status) + ")");
            }
        }
        if (failures.isEmpty()) {
            return Optional.empty();
        }
        if (peerPrimary) {
            // DRBD: "Peer is primary, outdating myself" — the peer's copy is the one in use.
            for (VolumeRuntime volume : state.volumes) {
                if (volume.disk().isPresent() && volume.state() == DiskState.UP_TO_DATE) {
                    state.disk.writeMetadata(volume, superblock -> superblock.withFlag(MetadataFlag.OUTDATED, true));
                    volume.moveTo(DiskState.OUTDATED);
                }
            }
            return Optional.of(Outcome.refused(StateChangeRefusal.PRIMARY_NOP, String.join("; ", failures)
                + "; this node's data is now Outdated"));
        }
        if (force) {
            LOG.log(System.Logger.Level.WARNING, "{0}: forced into a split-brain situation: {1}",
                state.config.name(), String.join("; ", failures));
            return Optional.empty();
        }
        return Optional.of(Outcome.refused(StateChangeRefusal.PRIMARY_NOP, String.join("; ", failures)
            + "; a peer that is not known Outdated may hold newer data ('primary --force' takes that risk)"));
    }

    /** {@code resume-io}: lifts {@code suspend-io} and a fencing freeze; a quorum suspension stays. */
    Outcome resumeIo() {
        state.admission.set(WriteAdmission.Cause.USER, WriteAdmission.Mode.OPEN, "");
        if (freezing()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: resume-io lifts the fencing freeze ({1})",
                state.config.name(), state.admission.reason());
            awaiting.clear();
            failed.clear();
            thaw();
        } else {
            state.unparkWrites();
        }
        return state.quorum.has() ? Outcome.done("") : Outcome.done("I/O stays suspended: no quorum");
    }

    /** {@code suspend-io}: new writes wait until {@code resume-io}. */
    Outcome suspendIo() {
        state.admission.set(WriteAdmission.Cause.USER, WriteAdmission.Mode.PARK, "suspended by the operator "
            + "(suspend-io)");
        return Outcome.done("");
    }

    /** After a change: runs {@code unfence-peer} for each fencing peer that became healthy again. */
    void unfenceIfHealed() {
        for (PeerRuntime peer : state.peers.values()) {
            if (!FencingRules.fences(peer.connection.net().fencing())) {
                continue;
            }
            boolean now = peer.replicating && !state.volumes.isEmpty() && state.volumes.stream().allMatch(volume ->
                volume.state() == DiskState.UP_TO_DATE && peer.reports.containsKey(volume.config().number())
                    && peer.reports.get(volume.config().number()).disk() == DiskState.UP_TO_DATE);
            if (now && healthy.add(peer)) {
                state.config.handler("unfence-peer").ifPresent(command -> state.handlers.invoke("unfence-peer",
                    command, state.handlerEnv.environment(state.volumes.get(0), peer)));
            } else if (!now) {
                healthy.remove(peer);
            }
        }
    }

    private void freeze(String why) {
        state.admission.set(WriteAdmission.Cause.FENCING, WriteAdmission.Mode.PARK, "fencing: " + why);
        state.transferLog.holdCompletions();
    }

    /** Lifts the fencing freeze: the held writes complete (with quorum), the waiting ones run. */
    private void thaw() {
        state.admission.set(WriteAdmission.Cause.FENCING, WriteAdmission.Mode.OPEN, "");
        state.quorum.releaseHeldIfConfirmed();
        state.unparkWrites();
    }

    private void runFencePeer(PeerRuntime peer, IntConsumer onOwner) {
        Optional<String> command = state.config.handler("fence-peer");
        if (command.isEmpty() || state.volumes.isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, "{0}: fencing is on for {1}, but no fence-peer handler is configured",
                state.config.name(), peer.host.name());
            onOwner.accept(HandlerInvoker.NO_EXIT_STATUS);
            return;
        }
        state.handlers.invoke("fence-peer", command.get(), state.handlerEnv.environment(state.volumes.get(0), peer),
            status -> state.scheduler.execute(() -> onOwner.accept(status)));
    }

    private boolean upToDateHere() {
        return !state.volumes.isEmpty() && state.volumes.stream()
            .allMatch(volume -> volume.disk().isEmpty() || volume.state() == DiskState.UP_TO_DATE);
    }

    /** Whether every attached volume's slot of {@code peer} says its data is Outdated. */
    private boolean knownOutdated(PeerRuntime peer) {
        return state.volumes.stream().allMatch(volume -> volume.disk().isEmpty()
            || DiskEdge.peerKnownOutdated(volume, peer.nodeId()));
    }

    private void markOutdated(PeerRuntime peer) {
        if (peer.replicating) {
            return; // back meanwhile: its report says what its data is
        }
        state.volumes.forEach(volume -> state.disk.recordPeerOutdated(volume, peer.nodeId(), true));
    }
}

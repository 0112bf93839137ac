package io.replicator.core.resource;

import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.state.StateChangeRefusal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Promotion as a cluster-wide decision: before this node becomes Primary, every peer it replicates with agrees — the
 * two-phase commit DRBD 9 runs for a role change (drbd.md §10), cut down to what promotion needs.
 *
 * <p><b>Why.</b> {@link PromotionRules} decides from what this node knows, and what it knows lags: two Secondaries
 * that lose their Primary at the same moment both see no Primary and both have quorum, and a peer's report that it
 * now replicates from a new Primary may still be on its way. Without a vote both promote, and two Primaries complete
 * writes — the simulation's {@code one-writing-primary} violations and many of its lost writes came from that window.
 *
 * <p><b>How.</b> The candidate sends {@code PROMOTE_REQUEST} to each peer it replicates with and waits:
 * <ul>
 *   <li>A voter answers no when it is Primary, when one of its own peers is (or serves another Primary), when it is
 *       promoting itself (both candidates then back off — the operator or the promoter retries), or when it already
 *       agreed to another candidate ({@link PromotionRules#answer}). Otherwise it answers yes and is <em>pledged</em>
 *       to the candidate: it neither promotes nor agrees to anyone else until the candidate says the vote is over
 *       ({@code PROMOTE_DONE}, sent after the candidate's new role reached it in the same stream) or the pledge
 *       expires — twice the vote timeout, or, once the candidate's connection ended, when the candidate can count
 *       on it no more ({@link #peerLost}).</li>
 *   <li>All yes (a voter whose connection ended meanwhile no longer counts): the candidate first asks the peers that
 *       began replicating during the vote, then decides again with what it knows now — quorum included, so a vote
 *       that lost its voters fails — and promotes
 *       ({@link RoleChanges#doPrimary}). Any no, or no answer within the vote timeout: refused, with each voter's
 *       reason.</li>
 * </ul>
 * A node with no replicating peers decides alone, as before; quorum keeps such a node from promoting beside a
 * partition that holds the majority. Under fencing, the peers it does not reach are fenced before the vote
 * ({@link FencingKeeper#beforePromotion}); the vote's clock starts once they are.
 *
 * <p>Owner lane only: the messages are handed to it by {@link SyncMessages}, losses by {@link Connections#lostPeer}.
 */
final class PromotionVote {
    /** Message field {@code offset} of a reply: the voter agrees. */
    static final long YES = 1;

    private final ResourceState state;
    private final long timeoutNanos;
    /** This node's own vote in progress, or null. */
    private Candidacy candidacy;
    /** The candidate this node agreed to, or null. */
    private Pledge pledge;

    /** A vote this node asked for: who still has to answer, who refused and why, and who waits for the outcome. */
    private static final class Candidacy {
        final long id;
        final boolean force;
        final Consumer<Outcome> done;
        /** Whether the peers were asked (after fencing); the deadline counts from then. */
        boolean asking;
        long deadline;
        final Map<String, PeerRuntime> awaiting = new LinkedHashMap<>();
        /** Each peer asked, with the session it was asked on. */
        final Map<PeerRuntime, PeerSender> asked = new LinkedHashMap<>();
        final List<String> refusals = new ArrayList<>();

        Candidacy(long id, boolean force, Consumer<Outcome> done) {
            this.id = id;
            this.force = force;
            this.done = done;
        }
    }

    /**
     * This node's yes to {@code candidate}'s vote {@code id}, given at {@code since} on the candidate's session
     * {@code session}, held until {@code expires}.
     */
    private record Pledge(PeerRuntime candidate, long id, long since, long expires, PeerSender session) {
    }

    PromotionVote(ResourceState state, long timeoutMs) {
        this.state = state;
        this.timeoutNanos = Math.max(1, timeoutMs) * 1_000_000L;
    }

    /** The candidate this node agreed to and has not heard the end of; empty if none. */
    Optional<String> pledgedTo() {
        expirePledge();
        return pledge == null ? Optional.empty() : Optional.of(pledge.candidate.host.name());
    }

    /** {@code primary [--force]}: decides locally, asks the peers, promotes on their yes; {@code done} hears it. */
    void start(boolean force, Consumer<Outcome> done) {
        if (candidacy != null) {
            done.accept(Outcome.refused(StateChangeRefusal.CONCURRENT_STATE_CHANGE, "a promotion of this node is "
                + "already being voted on; wait for its outcome"));
            return;
        }
        expirePledge();
        if (pledge != null) {
            done.accept(Outcome.refused(StateChangeRefusal.CONCURRENT_STATE_CHANGE, "this node agreed to the "
                + "promotion of " + pledge.candidate.host.name() + ", which is under way; retry when it is done"));
            return;
        }
        PromotionRules.Decision first = state.roles.decide(force);
        if (!(first instanceof PromotionRules.Promote)) {
            done.accept(state.roles.doPrimary(force));
            return;
        }
        Candidacy vote = new Candidacy(state.random.nextLong(), force, done);
        candidacy = vote;
        // Fencing first (peers away and not known Outdated): it may take a STONITH's time, before the vote's clock.
        state.fencing.beforePromotion(force, refusal -> {
            if (refusal.isPresent()) {
                candidacy = null;
                done.accept(refusal.get());
            } else {
                ask(vote);
            }
        });
    }

    private void ask(Candidacy vote) {
        List<PeerRuntime> voters = state.peers.values().stream()
            .filter(peer -> peer.replicating && peer.sender != null).toList();
        if (voters.isEmpty()) {
            candidacy = null;
            vote.done.accept(state.roles.doPrimary(vote.force));
            return;
        }
        vote.deadline = state.scheduler.nanoTime() + timeoutNanos;
        vote.asking = true;
        voters.forEach(voter -> askOne(vote, voter));
    }

    private void askOne(Candidacy vote, PeerRuntime voter) {
        PeerSender sender = voter.sender;
        vote.awaiting.put(voter.host.name(), voter);
        vote.asked.put(voter, sender);
        sender.sendSync(message(SyncMessage.Kind.PROMOTE_REQUEST, 0, vote.id, ""));
    }

    /**
     * Asks the peers that started replicating (or reconnected) since the vote began: deciding without them would
     * count them for quorum without their agreement (simulation seed 6437737190161419067: a peer connected during a
     * vote that waited for a dead voter, and had meanwhile agreed to another candidate). Whether it asked any.
     */
    private boolean askLatecomers(Candidacy vote) {
        boolean asked = false;
        for (PeerRuntime peer : state.peers.values()) {
            PeerSender sender = peer.sender;
            if (peer.replicating && sender != null && vote.asked.get(peer) != sender) {
                askOne(vote, peer);
                asked = true;
            }
        }
        return asked;
    }

    /** {@code candidate} asks for this node's agreement to its promotion. */
    void onRequest(PeerRuntime candidate, long id) {
        PeerSender sender = candidate.sender;
        if (sender == null) {
            return;
        }
        long now = state.scheduler.nanoTime();
        expirePledge();
        Optional<String> no = PromotionRules.answer(state.role, candidacy != null,
            pledgedTo().filter(name -> !name.equals(candidate.host.name())),
            candidate.host.name(), candidate.connection.net().allowTwoPrimaries(), state.roles.peerViews());
        if (no.isEmpty()) {
            pledge = new Pledge(candidate, id, now, now + 2 * timeoutNanos, sender);
        }
        sender.sendSync(message(SyncMessage.Kind.PROMOTE_REPLY, no.isEmpty() ? YES : 0, id, no.orElse("")));
    }

    /** {@code voter}'s answer to this node's vote {@code id}. */
    void onReply(PeerRuntime voter, long id, boolean yes, String reason) {
        Candidacy vote = candidacy;
        if (vote == null || vote.id != id || !vote.asking || vote.awaiting.remove(voter.host.name()) == null) {
            return;
        }
        if (!yes) {
            vote.refusals.add(voter.host.name() + " refused: " + reason);
        }
        settleIfAnswered();
    }

    /** {@code candidate} ended its vote {@code id} (promoted or not): this node is free again. */
    void onDone(PeerRuntime candidate, long id) {
        if (pledge != null && pledge.candidate == candidate && pledge.id == id) {
            pledge = null;
        }
    }

    /**
     * {@code peer}'s connection ended: it votes no more, and a pledge to it ends as soon as the candidate can no longer
     * count on it — not at once. The candidate may not know yet (a cut link shows only when its pings go unanswered),
     * and it decides with this node's yes until its vote's deadline: freed at once, this node could promote with the
     * others while the candidate, counting this node, promotes too (simulation seed -2049220628378668063). So the
     * pledge holds until the candidate's deadline has passed (it asked before this node answered) and the candidate
     * has seen the loss (its pings to this node went unanswered), with a ping-timeout to spare for clocks and
     * scheduling; a candidate that crashed mid-vote keeps this node from promoting that long.
     */
    void peerLost(PeerRuntime peer) {
        if (pledge != null && pledge.candidate == peer) {
            long now = state.scheduler.nanoTime();
            long pingTimeout = peer.connection.net().pingTimeoutMs() * 1_000_000L;
            long seen = now + peer.connection.net().pingIntMs() * 1_000_000L + pingTimeout;
            long until = Math.max(pledge.since + timeoutNanos, seen) + pingTimeout;
            pledge = new Pledge(peer, pledge.id, pledge.since, until, pledge.session);
        }
        if (candidacy != null && candidacy.asking && candidacy.awaiting.remove(peer.host.name()) != null) {
            settleIfAnswered();
        }
    }

    /** Periodic: a vote whose voters stay silent fails; a pledge whose candidate stays silent expires. */
    void checkTimeouts() {
        long now = state.scheduler.nanoTime();
        expirePledge();
        Candidacy vote = candidacy;
        if (vote != null && vote.asking && vote.deadline - now < 0) {
            finish(vote, Outcome.refused(StateChangeRefusal.TIMEOUT, "no answer from "
                + String.join(", ", vote.awaiting.keySet()) + " within " + timeoutNanos / 1_000_000
                + " ms to this node's promotion; retry when the connection is settled"));
        }
    }

    /**
     * Drops the pledge once it expired, or once the candidate is on a new session: it saw the old one end, and no
     * longer counts a yes given on it (a vote still running asks again on the new session).
     */
    private void expirePledge() {
        if (pledge == null) {
            return;
        }
        PeerSender now = pledge.candidate.sender;
        if (pledge.expires - state.scheduler.nanoTime() < 0 || (now != null && now != pledge.session)) {
            pledge = null;
        }
    }

    private void settleIfAnswered() {
        Candidacy vote = candidacy;
        if (!vote.awaiting.isEmpty()) {
            return;
        }
        if (vote.deadline - state.scheduler.nanoTime() < 0) {
            // The voters' pledges may be running out (peerLost): too late to count on them.
            finish(vote, Outcome.refused(StateChangeRefusal.TIMEOUT, "the vote on this node's promotion took "
                + "longer than " + timeoutNanos / 1_000_000 + " ms; retry when the connections are settled"));
            return;
        }
        if (!vote.refusals.isEmpty()) {
            finish(vote, Outcome.refused(StateChangeRefusal.CW_FAILED_BY_PEER,
                String.join("; ", vote.refusals)));
            return;
        }
        if (askLatecomers(vote)) {
            return;
        }
        candidacy = null;
        // Decided again: while the vote ran, peers may have left (quorum) or a resync begun.
        Outcome outcome = state.roles.doPrimary(vote.force);
        tellDone(vote);
        vote.done.accept(outcome);
    }

    private void finish(Candidacy vote, Outcome outcome) {
        candidacy = null;
        tellDone(vote);
        vote.done.accept(outcome);
    }


    /** Ends the vote at every voter still connected, after whatever this node sent them before (its new role). */
    private void tellDone(Candidacy vote) {
        for (PeerRuntime voter : vote.asked.keySet()) {
            PeerSender sender = voter.sender;
            if (sender != null) {
                sender.sendSync(message(SyncMessage.Kind.PROMOTE_DONE, 0, vote.id, ""));
            }
        }
    }

    private SyncMessage message(SyncMessage.Kind kind, long verdict, long id, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        if (text.length > SyncMessage.MAX_DIGEST_BYTES) {
            text = java.util.Arrays.copyOf(text, SyncMessage.MAX_DIGEST_BYTES);
        }
        return new SyncMessage(kind, state.volumes.get(0).config().number(), verdict, 0, id, text);
    }

    /** The reason text a reply carries. */
    static String reasonOf(SyncMessage reply) {
        return new String(reply.digest(), StandardCharsets.UTF_8);
    }
}

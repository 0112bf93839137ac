package io.replicator.core.resource;

import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import io.replicator.core.state.StateChangeRefusal;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether {@code primary [--force]} may promote this node, and whether each volume starts a new data
 * generation when it does (drbd.md §4, §10). Pure: what the node knows of its volumes and peers in, a decision out.
 *
 * <ul>
 *   <li>Without quorum ({@link QuorumRules}) nothing promotes, not even with {@code --force}: the other partition
 *       may have quorum and a Primary of its own. Setting {@code quorum off} is the operator's way past it.</li>
 *   <li>Every volume needs a disk (diskless Primaries are not supported), and UpToDate data unless forced.</li>
 *   <li>A volume that is sync target of a connected peer is refused even with {@code --force}: its unsynced blocks
 *       would be served from stale local data. Disconnecting first makes forcing this copy an explicit choice.</li>
 *   <li>A replicating peer that is Primary refuses it, unless {@code allow-two-primaries}; so does one that replicates
 *       from another Primary (its reports say so; each node tells its peers when its Primary changes), which this
 *       node may not see — the poor man's two-phase commit.</li>
 *   <li>A node that crashed while Primary and has not met a peer since is refused without {@code --force} while
 *       some peer is away: its crash may have lost writes it acknowledged (unflushed in its page cache) that only
 *       that peer holds, and promoted alone it would become the source of the next resync. Connecting first lets the
 *       handshake pick the copy with every acknowledged write (under protocol C, the peer's).</li>
 *   <li>Likewise, after a machine crash ({@code UNCLEAN_RESTART}: its unflushed writes may be gone), a node is refused
 *       without {@code --force} while a peer it has not met since is away — even once it met another peer, and even
 *       once its crashed-Primary mark was cleared by a resync it sourced: the peer away may hold acknowledged writes
 *       the crash took from this copy (simulation seed -8742804293171753760, three nodes).</li>
 *   <li>A new generation starts whenever some configured peer is not replicating (its slot gets the old one, so it
 *       can tell later that this node wrote without it — with one peer connected and another away as much as with
 *       none), and for data that was forced (it becomes the source of a full sync). With every peer replicating the
 *       generation continues: they receive every write.</li>
 * </ul>
 */
final class PromotionRules {
    /**
     * What promotion needs to know of one volume.
     *
     * @param untoldSinceMachineCrash the peers this node has not met (a handshake, or a resync it sourced) since a
     *                                machine crash left its data suspect ({@code UNCLEAN_RESTART}); empty otherwise
     */
    record VolumeView(int number, boolean hasDisk, DiskState disk, Optional<String> syncingFrom,
                      boolean crashedPrimary, Set<String> untoldSinceMachineCrash) {
        VolumeView(int number, boolean hasDisk, DiskState disk, Optional<String> syncingFrom,
                   boolean crashedPrimary) {
            this(number, hasDisk, disk, syncingFrom, crashedPrimary, Set.of());
        }
    }

    /**
     * What promotion needs to know of one configured peer.
     *
     * @param servesAnotherPrimary its latest report says it replicates from a Primary other than this node
     */
    record PeerView(String name, boolean replicating, Role role, boolean allowTwoPrimaries,
                    boolean servesAnotherPrimary) {
        PeerView(String name, boolean replicating, Role role, boolean allowTwoPrimaries) {
            this(name, replicating, role, allowTwoPrimaries, false);
        }
    }

    /** The decision: refused with an outcome to report, or promote with a new generation where said. */
    sealed interface Decision {
    }

    /** Already Primary: nothing to do. */
    record AlreadyPrimary() implements Decision {
    }

    /** Not promoted; {@code outcome} says why and what to do. */
    record Refused(Outcome outcome) implements Decision {
    }

    /** Promote; {@code somePeerAway} or forced data starts a new generation for a volume ({@link #newGeneration}). */
    record Promote(boolean somePeerAway) implements Decision {
        /** Whether a volume whose disk was {@code disk} before promotion starts a new generation. */
        boolean newGeneration(DiskState disk) {
            return somePeerAway || disk != DiskState.UP_TO_DATE;
        }
    }

    private PromotionRules() {
    }

    static Decision decide(Role role, boolean force, List<VolumeView> volumes, List<PeerView> peers) {
        return decide(role, force, volumes, peers, "");
    }

    /** @param noQuorum why this node has no quorum; empty when it has (or quorum is off) */
    static Decision decide(Role role, boolean force, List<VolumeView> volumes, List<PeerView> peers,
                           String noQuorum) {
        if (role == Role.PRIMARY) {
            return new AlreadyPrimary();
        }
        if (!noQuorum.isEmpty()) {
            return refused(StateChangeRefusal.NO_QUORUM, noQuorum + (force ? "; --force does not override quorum" : ""));
        }
        for (VolumeView volume : volumes) {
            if (!volume.hasDisk()) {
                return refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "volume " + volume.number()
                    + " has no disk and no connected peer with UpToDate data");
            }
            if (volume.syncingFrom().isPresent()) {
                return new Refused(Outcome.refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "volume " + volume.number()
                    + " is SyncTarget of " + volume.syncingFrom().get() + " and would serve blocks it has not "
                    + "received yet; wait until the resync is done" + (force ? ", or disconnect first to force "
                    + "this copy as it is" : "")));
            }
            if (volume.disk() != DiskState.UP_TO_DATE && !force) {
                return refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "volume " + volume.number() + " is "
                    + volume.disk().drbdName() + "; if this copy is the one to keep (initial setup, disaster "
                    + "recovery), promote with 'primary --force'");
            }
        }
        for (PeerView peer : peers) {
            if (peer.replicating() && peer.role() == Role.PRIMARY && !peer.allowTwoPrimaries()) {
                return refused(StateChangeRefusal.TWO_PRIMARIES, "peer " + peer.name() + " is Primary");
            }
            if (peer.replicating() && peer.servesAnotherPrimary() && !peer.allowTwoPrimaries()) {
                // A Primary this node does not see (its link may be cut unnoticed) has the peer: promoted, this node
                // would write beside it, and quorum counted from here would not stop it.
                return refused(StateChangeRefusal.TWO_PRIMARIES, "peer " + peer.name() + " replicates from "
                    + "another Primary");
            }
        }
        boolean somePeerAway = peers.isEmpty() || peers.stream().anyMatch(peer -> !peer.replicating());
        for (VolumeView volume : volumes) {
            if (volume.crashedPrimary() && !force && !peers.isEmpty()
                && peers.stream().anyMatch(peer -> !peer.replicating())) {
                return refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "volume " + volume.number() + " crashed "
                    + "while Primary and has not met its peers since: writes it acknowledged may be only on a peer "
                    + "that is away; connect first, or promote with 'primary --force' to keep this copy as it is");
            }
        }
        for (VolumeView volume : volumes) {
            Optional<String> holder = peers.stream().filter(peer -> !peer.replicating()
                && volume.untoldSinceMachineCrash().contains(peer.name())).map(PeerView::name).findFirst();
            if (holder.isPresent() && !force) {
                return refused(StateChangeRefusal.NO_UP_TO_DATE_DISK, "volume " + volume.number() + " is back from "
                    + "a machine crash and has not met " + holder.get() + " since: writes it acknowledged but had not "
                    + "flushed may be only there; connect first, or promote with 'primary --force' to keep this copy "
                    + "as it is");
            }
        }
        return new Promote(somePeerAway);
    }

    /**
     * A voter's answer to {@code candidate}'s promotion ({@link PromotionVote}): empty to agree, else why not.
     *
     * @param role           the voter's role
     * @param promotingSelf  the voter runs a vote of its own (both candidates back off)
     * @param pledgedToOther the other candidate the voter already agreed to, if any
     * @param twoPrimaries   {@code allow-two-primaries} on the voter's connection to the candidate
     * @param peers          the voter's peers, the candidate among them
     */
    static Optional<String> answer(Role role, boolean promotingSelf, Optional<String> pledgedToOther,
                                   String candidate, boolean twoPrimaries, List<PeerView> peers) {
        if (role == Role.PRIMARY && !twoPrimaries) {
            return Optional.of("it is Primary");
        }
        if (promotingSelf) {
            return Optional.of("it is being promoted itself (concurrent promotions both back off; retry)");
        }
        if (pledgedToOther.isPresent()) {
            return Optional.of("it agreed to the promotion of " + pledgedToOther.get() + ", which is under way");
        }
        if (twoPrimaries) {
            return Optional.empty();
        }
        for (PeerView peer : peers) {
            if (peer.name().equals(candidate) || !peer.replicating()) {
                continue;
            }
            if (peer.role() == Role.PRIMARY) {
                return Optional.of("its peer " + peer.name() + " is Primary");
            }
            if (peer.servesAnotherPrimary()) {
                return Optional.of("its peer " + peer.name() + " replicates from a Primary");
            }
        }
        return Optional.empty();
    }

    private static Refused refused(StateChangeRefusal refusal, String hint) {
        return new Refused(Outcome.refused(refusal, hint));
    }
}

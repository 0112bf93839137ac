package io.replicator.core.resource;

import io.replicator.core.state.DiskState;

import java.util.List;

/**
 * Decides whether a volume of this node has quorum, as DRBD 9 counts it (drbd.md §10, {@code calc_quorum}). Pure:
 * the settings, this node's disk and what it knows of each configured peer in, a {@link Verdict} out.
 *
 * <h2>The count</h2>
 * Every diskful node is a voter: this node (when it has a disk), and each configured peer with a disk. A connected
 * peer votes as <i>up to date</i> (UpToDate) or <i>present</i> (any other disk); an absent one is <i>outdated</i> when
 * its data is known Outdated, else <i>unknown</i>. The votes that count for this partition are its up-to-date and
 * present nodes. When no absent node is unknown, the outdated ones are dropped from the voters ("last man standing"):
 * they cannot form a partition that promotes, so a cluster shrunk by outdated nodes keeps running. Quorum is then
 * {@code up-to-date + present >= quorum_at}, where {@code quorum_at} is {@code voters / 2 + 1} for {@code majority},
 * every voter for {@code all}, or the configured number; {@code quorum-minimum-redundancy} further asks for that many
 * UpToDate nodes.
 *
 * <h2>Tiebreaker</h2>
 * With an even number of voters, one vote short, a node that had quorum keeps it while it is connected to a majority
 * of the intentionally diskless nodes (nodes configured {@code disk none}): of two halves, only the one with the
 * tiebreaker goes on. A node that had no quorum does not gain it this way.
 *
 * <p>Peers this node has never met are voters too (DRBD leaves them out until it has seen their disk): stricter, so a
 * cluster whose third node never came up needs both others for a majority.
 */
final class QuorumRules {
    /** A {@code quorum} or {@code quorum-minimum-redundancy} setting: off, majority, all, or a node count. */
    record Setting(Kind kind, int count) {
        enum Kind { OFF, MAJORITY, ALL, COUNT }

        static final Setting OFF = new Setting(Kind.OFF, 0);

        /** The setting written as {@code value} ({@code off}, {@code majority}, {@code all} or 1..32). */
        static Setting parse(String value) {
            return switch (value) {
                case "off" -> OFF;
                case "majority" -> new Setting(Kind.MAJORITY, 0);
                case "all" -> new Setting(Kind.ALL, 0);
                default -> {
                    try {
                        yield new Setting(Kind.COUNT, Integer.parseInt(value));
                    } catch (NumberFormatException notANumber) {
                        throw new IllegalArgumentException("quorum setting '" + value
                            + "': expected off, majority, all or a node count");
                    }
                }
            };
        }

        /** The number of votes this setting asks for among {@code voters}. */
        int votesNeeded(int voters) {
            return switch (kind) {
                case OFF -> 0;
                case MAJORITY -> voters / 2 + 1;
                case ALL -> voters;
                case COUNT -> count;
            };
        }
    }

    /**
     * What this node knows of one configured peer.
     *
     * @param connected    a session with it is up (it counts for this partition)
     * @param disk         its disk as it last reported it (while connected)
     * @param knownOutdated its data is known Outdated (it said so while connected); counts only while it is absent
     * @param diskless     it is configured without a disk ({@code disk none}): a tiebreaker, not a voter
     */
    record Peer(String name, boolean connected, DiskState disk, boolean knownOutdated, boolean diskless) {
    }

    /**
     * The verdict and the counts behind it.
     *
     * @param quorum        whether the volume has quorum
     * @param voters        the nodes that vote
     * @param upToDate      UpToDate nodes in this partition, this one included
     * @param present       other diskful nodes in this partition
     * @param quorumAt      the votes needed
     * @param redundancyAt  the UpToDate nodes {@code quorum-minimum-redundancy} asks for
     * @param tiebreaker    quorum is kept only through the diskless tiebreaker
     */
    record Verdict(boolean quorum, int voters, int upToDate, int present, int quorumAt, int redundancyAt,
                   boolean tiebreaker) {
        /** Quorum off: always. */
        static final Verdict OFF = new Verdict(true, 0, 0, 0, 0, 0, false);

        /** Why there is no quorum, in DRBD's words; empty with quorum. */
        String shortfall() {
            if (quorum) {
                return "";
            }
            if (upToDate + present < quorumAt) {
                return (upToDate + present) + " of " + voters + " nodes visible, need " + quorumAt + " for quorum";
            }
            return upToDate + " of " + voters + " nodes UpToDate, need " + redundancyAt
                + " for quorum-minimum-redundancy";
        }
    }

    private QuorumRules() {
    }

    /**
     * The verdict for one volume.
     *
     * @param quorum        {@code quorum}
     * @param redundancy    {@code quorum-minimum-redundancy}
     * @param self          this node's disk for the volume
     * @param selfDiskless  this node is configured without a disk for it
     * @param peers         every configured peer
     * @param hadQuorum     the volume had quorum before this change (the tiebreaker only keeps it)
     */
    static Verdict decide(Setting quorum, Setting redundancy, DiskState self, boolean selfDiskless, List<Peer> peers,
                          boolean hadQuorum) {
        if (quorum.kind() == Setting.Kind.OFF) {
            return Verdict.OFF;
        }
        int upToDate = 0;
        int present = 0;
        int outdated = 0;
        int unknown = 0;
        int diskless = 0;
        int missingDiskless = 0;
        if (self == DiskState.UP_TO_DATE) {
            upToDate++;
        } else if (self != DiskState.DISKLESS) {
            present++;
        } else if (selfDiskless) {
            diskless++;
        } else {
            unknown++; // a diskful node without its disk: it cannot vote for itself
        }
        for (Peer peer : peers) {
            if (!peer.connected()) {
                if (peer.diskless()) {
                    missingDiskless++;
                } else if (peer.knownOutdated()) {
                    outdated++;
                } else {
                    unknown++;
                }
            } else if (peer.diskless() && peer.disk() == DiskState.DISKLESS) {
                diskless++;
            } else if (peer.disk() == DiskState.UP_TO_DATE) {
                upToDate++;
            } else {
                present++;
            }
        }
        int voters = unknown > 0 ? outdated + unknown + upToDate + present : upToDate + present;
        int quorumAt = quorum.votesNeeded(voters);
        int redundancyAt = redundancy.votesNeeded(voters);
        boolean have = upToDate + present >= quorumAt && upToDate >= redundancyAt;
        boolean tiebreaker = false;
        if (!have && hadQuorum && voters > 0 && voters % 2 == 0 && upToDate + present == quorumAt - 1
            && diskless > 0 && diskless >= Setting.parse("majority").votesNeeded(diskless + missingDiskless)) {
            have = true;
            tiebreaker = true;
        }
        return new Verdict(have, voters, upToDate, present, quorumAt, redundancyAt, tiebreaker);
    }
}

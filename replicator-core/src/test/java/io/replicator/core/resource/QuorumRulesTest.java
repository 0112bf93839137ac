package io.replicator.core.resource;

import io.replicator.core.resource.QuorumRules.Peer;
import io.replicator.core.resource.QuorumRules.Setting;
import io.replicator.core.resource.QuorumRules.Verdict;
import io.replicator.core.state.DiskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DRBD 9's quorum count (drbd.md §10), case by case. */
@Timeout(10)
class QuorumRulesTest {
    private static final Setting MAJORITY = Setting.parse("majority");
    private static final Setting OFF = Setting.OFF;

    private static Peer up(String name) {
        return new Peer(name, true, DiskState.UP_TO_DATE, false, false);
    }

    private static Peer connected(String name, DiskState disk) {
        return new Peer(name, true, disk, false, false);
    }

    private static Peer away(String name) {
        return new Peer(name, false, DiskState.DUNKNOWN, false, false);
    }

    private static Peer awayOutdated(String name) {
        return new Peer(name, false, DiskState.DUNKNOWN, true, false);
    }

    private static Peer tiebreaker(String name, boolean connected) {
        return new Peer(name, connected, connected ? DiskState.DISKLESS : DiskState.DUNKNOWN, false, true);
    }

    private static Verdict majority(DiskState self, List<Peer> peers) {
        return QuorumRules.decide(MAJORITY, OFF, self, false, peers, true);
    }

    @Test
    void quorumOffAlwaysHasIt() {
        assertThat(QuorumRules.decide(OFF, OFF, DiskState.UP_TO_DATE, false, List.of(away("b"), away("c")), false)
            .quorum()).isTrue();
    }

    @Test
    void threeNodesKeepQuorumWithOnePeerAwayAndLoseItWithTwo() {
        Verdict one = majority(DiskState.UP_TO_DATE, List.of(up("b"), away("c")));
        assertThat(one.quorum()).isTrue();
        assertThat(one.voters()).isEqualTo(3);
        assertThat(one.quorumAt()).isEqualTo(2);

        Verdict alone = majority(DiskState.UP_TO_DATE, List.of(away("b"), away("c")));
        assertThat(alone.quorum()).isFalse();
        assertThat(alone.shortfall()).isEqualTo("1 of 3 nodes visible, need 2 for quorum");
    }

    @Test
    void anyDiskfulPeerThatIsConnectedVotes_notOnlyUpToDateOnes() {
        assertThat(majority(DiskState.OUTDATED, List.of(connected("b", DiskState.INCONSISTENT), away("c")))
            .quorum()).isTrue();
    }

    @Test
    void twoNodesLoseQuorumWhenTheyLoseEachOther() {
        assertThat(majority(DiskState.UP_TO_DATE, List.of(away("b"))).quorum()).isFalse();
        assertThat(majority(DiskState.UP_TO_DATE, List.of(up("b"))).quorum()).isTrue();
    }

    @Test
    void lastManStanding_absentNodesKnownOutdatedAreDroppedWhenNoneIsUnknown() {
        Verdict shrunk = majority(DiskState.UP_TO_DATE, List.of(awayOutdated("b"), awayOutdated("c")));
        assertThat(shrunk.quorum()).isTrue();
        assertThat(shrunk.voters()).isEqualTo(1);

        // One unknown node keeps every absent one a voter: the unknown one may be in a partition that promotes.
        Verdict mixed = majority(DiskState.UP_TO_DATE, List.of(awayOutdated("b"), away("c")));
        assertThat(mixed.quorum()).isFalse();
        assertThat(mixed.voters()).isEqualTo(3);
    }

    @Test
    void allNeedsEveryVoterAndACountNeedsThatMany() {
        assertThat(QuorumRules.decide(Setting.parse("all"), OFF, DiskState.UP_TO_DATE, false,
            List.of(up("b"), away("c")), true).quorum()).isFalse();
        assertThat(QuorumRules.decide(Setting.parse("2"), OFF, DiskState.UP_TO_DATE, false,
            List.of(up("b"), away("c"), away("d")), true).quorum()).isTrue();
    }

    @Test
    void minimumRedundancyCountsUpToDateNodesOnly() {
        Verdict verdict = QuorumRules.decide(MAJORITY, Setting.parse("2"), DiskState.UP_TO_DATE, false,
            List.of(connected("b", DiskState.INCONSISTENT), away("c")), true);
        assertThat(verdict.quorum()).isFalse();
        assertThat(verdict.shortfall()).isEqualTo("1 of 3 nodes UpToDate, need 2 for quorum-minimum-redundancy");
    }

    @Test
    void aNodeWithoutItsDiskDoesNotVoteForItself() {
        assertThat(majority(DiskState.DISKLESS, List.of(up("b"), away("c"))).quorum())
            .as("b and this node's empty seat: 1 of 3").isFalse();
    }

    @Test
    void tiebreaker_anEvenSplitKeepsQuorumOnTheSideWithTheDisklessMajority() {
        List<Peer> withTiebreaker = List.of(away("b"), tiebreaker("t", true));
        Verdict kept = QuorumRules.decide(MAJORITY, OFF, DiskState.UP_TO_DATE, false, withTiebreaker, true);
        assertThat(kept.quorum()).isTrue();
        assertThat(kept.tiebreaker()).isTrue();

        assertThat(QuorumRules.decide(MAJORITY, OFF, DiskState.UP_TO_DATE, false, withTiebreaker, false).quorum())
            .as("the tiebreaker keeps quorum, it never grants it").isFalse();
        assertThat(QuorumRules.decide(MAJORITY, OFF, DiskState.UP_TO_DATE, false,
            List.of(away("b"), tiebreaker("t", false)), true).quorum())
            .as("the other half, without the tiebreaker").isFalse();
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> Setting.parse("most")).hasMessageContaining("'most'");
    }
}

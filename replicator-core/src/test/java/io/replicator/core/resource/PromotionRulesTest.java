package io.replicator.core.resource;

import io.replicator.core.resource.PromotionRules.PeerView;
import io.replicator.core.resource.PromotionRules.Promote;
import io.replicator.core.resource.PromotionRules.Refused;
import io.replicator.core.resource.PromotionRules.VolumeView;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class PromotionRulesTest {
    private static final VolumeView UP_TO_DATE =
        new VolumeView(0, true, DiskState.UP_TO_DATE, Optional.empty(), false);
    private static final PeerView CONNECTED = new PeerView("bravo", true, Role.SECONDARY, false);
    private static final PeerView AWAY = new PeerView("charlie", false, Role.UNKNOWN, false);

    @Test
    void promotionWithSomePeerAwayStartsANewGeneration_withEveryPeerConnectedItDoesNot() {
        Promote oneAway = (Promote) PromotionRules.decide(Role.SECONDARY, false, List.of(UP_TO_DATE),
            List.of(CONNECTED, AWAY));
        assertThat(oneAway.newGeneration(DiskState.UP_TO_DATE)).isTrue();

        Promote allConnected = (Promote) PromotionRules.decide(Role.SECONDARY, false, List.of(UP_TO_DATE),
            List.of(CONNECTED));
        assertThat(allConnected.newGeneration(DiskState.UP_TO_DATE)).isFalse();
        assertThat(allConnected.newGeneration(DiskState.OUTDATED)).as("forced data").isTrue();

        Promote alone = (Promote) PromotionRules.decide(Role.SECONDARY, false, List.of(UP_TO_DATE), List.of());
        assertThat(alone.newGeneration(DiskState.UP_TO_DATE)).isTrue();
    }

    @Test
    void aPeerThatReplicatesFromAnotherPrimaryRefusesThePromotion_evenWithForce() {
        // Simulation seed 2184104781813742193: charlie did not see bravo (Primary), alpha replicated from bravo and
        // was connected to charlie; charlie promoted, counted alpha for quorum, and wrote beside bravo.
        PeerView servesBravo = new PeerView("alpha", true, Role.SECONDARY, false, true);
        PromotionRules.Decision decision = PromotionRules.decide(Role.SECONDARY, true, List.of(UP_TO_DATE),
            List.of(servesBravo, AWAY));

        assertThat(decision).isInstanceOf(Refused.class);
        assertThat(((Refused) decision).outcome().message()).contains("peer alpha replicates from another Primary");
    }

    @Test
    void withoutQuorumNothingIsPromoted() {
        PromotionRules.Decision decision = PromotionRules.decide(Role.SECONDARY, true, List.of(UP_TO_DATE),
            List.of(AWAY), "volume 0: 1 of 3 nodes visible, need 2 for quorum");

        assertThat(((Refused) decision).outcome().message()).contains("No quorum", "1 of 3 nodes visible",
            "--force does not override quorum");
    }

    @Test
    void aSyncTargetIsNotPromotedEvenWithForce() {
        VolumeView target = new VolumeView(0, true, DiskState.INCONSISTENT, Optional.of("bravo"), false);
        Refused refused = (Refused) PromotionRules.decide(Role.SECONDARY, true, List.of(target), List.of(CONNECTED));
        assertThat(refused.outcome().message()).contains("SyncTarget of bravo")
            .contains("disconnect first to force this copy");
    }

    @Test
    void withoutForceOnlyUpToDateDataAndNoPrimaryPeerAllowPromotion() {
        VolumeView outdated = new VolumeView(0, true, DiskState.OUTDATED, Optional.empty(), false);
        assertThat(PromotionRules.decide(Role.SECONDARY, false, List.of(outdated), List.of()))
            .isInstanceOf(Refused.class);
        assertThat(PromotionRules.decide(Role.SECONDARY, true, List.of(outdated), List.of()))
            .isInstanceOf(Promote.class);
        PeerView primary = new PeerView("bravo", true, Role.PRIMARY, false);
        assertThat(((Refused) PromotionRules.decide(Role.SECONDARY, true, List.of(UP_TO_DATE), List.of(primary)))
            .outcome().message()).contains("peer bravo is Primary");
        assertThat(PromotionRules.decide(Role.PRIMARY, false, List.of(outdated), List.of()))
            .isInstanceOf(PromotionRules.AlreadyPrimary.class);
    }

    @Test
    void aCrashedPrimaryIsNotPromotedWithoutForceWhileAPeerIsAway() {
        VolumeView crashed = new VolumeView(0, true, DiskState.UP_TO_DATE, Optional.empty(), true);
        Refused refused = (Refused) PromotionRules.decide(Role.SECONDARY, false, List.of(crashed), List.of(AWAY));
        assertThat(refused.outcome().message()).contains("crashed while Primary");
        assertThat(PromotionRules.decide(Role.SECONDARY, true, List.of(crashed), List.of(AWAY)))
            .isInstanceOf(Promote.class);
        assertThat(PromotionRules.decide(Role.SECONDARY, false, List.of(crashed), List.of(CONNECTED)))
            .as("every peer connected: the handshake already chose").isInstanceOf(Promote.class);
    }

    /**
     * Back from a machine crash, a node that met one peer since (here it sourced that peer's resync, which cleared its
     * crashed-Primary mark) is still refused while a peer it has not met is away: that peer may hold the acknowledged
     * writes the crash took from the page cache. Before, charlie was promoted beside bravo and its next resync
     * overwrote alpha's copy of such a write (simulation seed -8742804293171753760, three nodes).
     */
    @Test
    void aNodeBackFromAMachineCrashIsNotPromotedWithoutForceWhileAPeerItHasNotMetIsAway() {
        VolumeView suspect = new VolumeView(0, true, DiskState.UP_TO_DATE, Optional.empty(), false,
            Set.of(AWAY.name()));
        Refused refused = (Refused) PromotionRules.decide(Role.SECONDARY, false, List.of(suspect),
            List.of(AWAY, CONNECTED));
        assertThat(refused.outcome().message()).contains("machine crash", "has not met " + AWAY.name());
        assertThat(PromotionRules.decide(Role.SECONDARY, true, List.of(suspect), List.of(AWAY, CONNECTED)))
            .isInstanceOf(Promote.class);
        VolumeView toldTheAbsent = new VolumeView(0, true, DiskState.UP_TO_DATE, Optional.empty(), false,
            Set.of(CONNECTED.name()));
        assertThat(PromotionRules.decide(Role.SECONDARY, false, List.of(toldTheAbsent), List.of(AWAY, CONNECTED)))
            .as("the peer away was met since; the one not met is connected").isInstanceOf(Promote.class);
    }

    @Test
    void aVoterAgreesOnlyWhenNoPrimaryIsInSightAndNoOtherPromotionIsUnderWay() {
        PeerView candidate = new PeerView("bravo", true, Role.SECONDARY, false);
        PeerView idle = new PeerView("charlie", true, Role.SECONDARY, false);
        assertThat(PromotionRules.answer(Role.SECONDARY, false, Optional.empty(), "bravo", false,
            List.of(candidate, idle))).isEmpty();

        assertThat(PromotionRules.answer(Role.PRIMARY, false, Optional.empty(), "bravo", false, List.of(candidate)))
            .contains("it is Primary");
        assertThat(PromotionRules.answer(Role.PRIMARY, false, Optional.empty(), "bravo", true, List.of(candidate)))
            .as("allow-two-primaries").isEmpty();
        // Simulation seed -3929810107358812535: bravo and charlie promoted 1 ms apart; each now asks the other, and
        // both back off.
        assertThat(PromotionRules.answer(Role.SECONDARY, true, Optional.empty(), "bravo", false, List.of(candidate)))
            .hasValueSatisfying(why -> assertThat(why).contains("being promoted itself"));
        assertThat(PromotionRules.answer(Role.SECONDARY, false, Optional.of("charlie"), "bravo", false,
            List.of(candidate, idle))).hasValueSatisfying(why -> assertThat(why).contains("agreed to the promotion "
            + "of charlie"));
        PeerView primary = new PeerView("charlie", true, Role.PRIMARY, false);
        assertThat(PromotionRules.answer(Role.SECONDARY, false, Optional.empty(), "bravo", false,
            List.of(candidate, primary))).contains("its peer charlie is Primary");
        PeerView servesPrimary = new PeerView("charlie", true, Role.SECONDARY, false, true);
        assertThat(PromotionRules.answer(Role.SECONDARY, false, Optional.empty(), "bravo", false,
            List.of(candidate, servesPrimary))).contains("its peer charlie replicates from a Primary");
        PeerView awayPrimary = new PeerView("charlie", false, Role.PRIMARY, false);
        assertThat(PromotionRules.answer(Role.SECONDARY, false, Optional.empty(), "bravo", false,
            List.of(candidate, awayPrimary))).as("a peer that is away: quorum decides").isEmpty();
    }
}

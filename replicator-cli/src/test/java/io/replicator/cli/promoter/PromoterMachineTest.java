package io.replicator.cli.promoter;

import io.replicator.cli.promoter.PromoterMachine.Action;
import io.replicator.cli.promoter.PromoterMachine.Phase;
import io.replicator.cli.promoter.PromoterMachine.View;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PromoterMachineTest {
    private static final long S = 1_000_000_000L;
    private static final View MAY = new View(true, Role.SECONDARY, true, true, DiskState.UP_TO_DATE);
    private static final View MAY_NOT = new View(true, Role.SECONDARY, false, true, DiskState.UP_TO_DATE);
    private static final View PRIMARY = new View(true, Role.PRIMARY, false, true, DiskState.UP_TO_DATE);

    private static PromoterConfig.Resource resource(int factor, List<String> preferred) {
        return new PromoterConfig.Resource("r0", List.of("svc"), List.of(), "shutdown", factor, preferred, true,
            "none", false);
    }

    @Test
    void promotesWhenItMay_startsTheServices_andStopsAndDemotesOnQuorumLoss() {
        PromoterMachine machine = new PromoterMachine("alpha", resource(1, List.of()));
        assertThat(machine.next(MAY_NOT, 0, 0)).isEqualTo(Action.NONE);
        assertThat(machine.next(MAY, 0, 0)).as("UpToDate, no jitter: at once").isEqualTo(Action.PROMOTE);
        machine.promoted(true, "", 0);
        assertThat(machine.afterPromotion()).isEqualTo(Action.START_SERVICES);
        assertThat(machine.started(true, "", 0)).isEqualTo(Action.NONE);
        assertThat(machine.phase()).isEqualTo(Phase.RUNNING);
        assertThat(machine.next(PRIMARY, 1, 0)).isEqualTo(Action.NONE);

        View noQuorum = new View(true, Role.PRIMARY, false, false, DiskState.UP_TO_DATE);
        assertThat(machine.next(noQuorum, 2, 0)).isEqualTo(Action.STOP_AND_DEMOTE);
        machine.stopped(false, "stopped", 2);
        assertThat(machine.phase()).isEqualTo(Phase.IDLE);
    }

    @Test
    void worseDataAndALaterPlaceInPreferredNodesWaitLonger_andTheWaitEndsIfAnotherNodeWins() {
        PromoterMachine bravo = new PromoterMachine("bravo", resource(2, List.of("alpha", "bravo")));
        View consistent = new View(true, Role.SECONDARY, true, true, DiskState.CONSISTENT);
        assertThat(bravo.delaySeconds(DiskState.UP_TO_DATE)).as("second in preferred-nodes").isEqualTo(1);
        assertThat(bravo.delaySeconds(DiskState.CONSISTENT)).isEqualTo(2 * 1 + 1);
        assertThat(bravo.delaySeconds(DiskState.OUTDATED)).isEqualTo(2 * 2 + 1);
        assertThat(bravo.delaySeconds(DiskState.DUNKNOWN)).isEqualTo(2 * 6 + 1);
        assertThat(new PromoterMachine("zulu", resource(1, List.of("alpha", "bravo"))).delaySeconds(
            DiskState.UP_TO_DATE)).as("not listed: after every listed node").isEqualTo(2);

        assertThat(bravo.next(consistent, 0, 5)).isEqualTo(Action.NONE);
        assertThat(bravo.phase()).isEqualTo(Phase.WAITING);
        assertThat(bravo.wakeAt()).isEqualTo(3 * S + 5);
        assertThat(bravo.next(consistent, 3 * S, 0)).isEqualTo(Action.NONE);
        assertThat(bravo.next(MAY_NOT, 3 * S + 1, 0)).as("another node promoted meanwhile").isEqualTo(Action.NONE);
        assertThat(bravo.phase()).isEqualTo(Phase.IDLE);
    }

    @Test
    void aRefusedPromotionWaitsBeforeTryingAgain_aFailedStartDemotesAndWaitsLonger() {
        PromoterMachine machine = new PromoterMachine("alpha", resource(1, List.of()));
        assertThat(machine.next(MAY, 0, 0)).isEqualTo(Action.PROMOTE);
        machine.promoted(false, "(-10) State change was refused by peer node", 0);
        assertThat(machine.next(MAY, 1, 0)).isEqualTo(Action.NONE);
        assertThat(machine.why()).contains("refused by peer node");
        assertThat(machine.next(MAY, PromoterMachine.AFTER_REFUSAL_NANOS, 0)).isEqualTo(Action.PROMOTE);

        machine.promoted(true, "", S);
        assertThat(machine.started(false, "'svc start' exited 1", S)).isEqualTo(Action.DEMOTE);
        machine.stopped(true, "", S);
        assertThat(machine.next(MAY, 2 * S, 0)).isEqualTo(Action.NONE);
        assertThat(machine.next(MAY, S + PromoterMachine.AFTER_FAILED_START_NANOS, 0)).isEqualTo(Action.PROMOTE);
    }

    @Test
    void demotedBySomeoneElseOrTheDaemonGoneStopsTheServices_anOperatorsPrimaryIsLeftAlone() {
        PromoterMachine machine = new PromoterMachine("alpha", resource(1, List.of()));
        assertThat(machine.next(PRIMARY, 0, 0)).isEqualTo(Action.NONE);
        assertThat(machine.why()).contains("not promoted by the promoter");

        assertThat(machine.next(MAY, 0, 0)).isEqualTo(Action.PROMOTE);
        machine.promoted(true, "", 0);
        machine.started(true, "", 0);
        assertThat(machine.next(MAY_NOT, 1, 0)).as("force-secondary, or the operator").isEqualTo(
            Action.STOP_SERVICES);
        machine.stopped(false, "", 1);

        assertThat(machine.next(MAY, 2, 0)).isEqualTo(Action.PROMOTE);
        machine.promoted(true, "", 2);
        machine.started(true, "", 2);
        assertThat(machine.next(View.ABSENT, 3, 0)).isEqualTo(Action.STOP_SERVICES);
    }
}

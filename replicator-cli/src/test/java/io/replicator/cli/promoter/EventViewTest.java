package io.replicator.cli.promoter;

import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventViewTest {
    @Test
    void foldsEvents2LinesIntoWhatTheResourceMayDo() {
        EventView view = new EventView();
        view.accept("exists resource name:r0 role:Secondary suspended:no force-io-failures:no may_promote:no "
            + "promotion_score:10000");
        view.accept("exists connection name:r0 peer-node-id:0 conn-name:alpha connection:Connected role:Primary");
        view.accept("exists device name:r0 volume:0 minor:0 backing_dev:/d disk:UpToDate client:no open:no "
            + "quorum:yes");
        view.accept("exists device name:r0 volume:1 minor:1 backing_dev:/e disk:Outdated client:no open:no "
            + "quorum:yes");
        view.accept("exists -");
        assertThat(view.view("r0")).isEqualTo(new PromoterMachine.View(true, Role.SECONDARY, false, true,
            DiskState.OUTDATED));

        view.accept("change resource name:r0 may_promote:yes promotion_score:20000");
        view.accept("change device name:r0 volume:1 minor:1 backing_dev:/e disk:UpToDate client:no open:no "
            + "quorum:no");
        assertThat(view.view("r0")).isEqualTo(new PromoterMachine.View(true, Role.SECONDARY, true, false,
            DiskState.UP_TO_DATE));
        assertThat(view.accept("change resource name:r0 role:Sideways")).as("an unknown word is skipped").isFalse();

        view.accept("destroy resource name:r0");
        assertThat(view.view("r0").present()).isFalse();
        assertThat(view.view("r1")).isEqualTo(PromoterMachine.View.ABSENT);
    }
}

package io.replicator.cli.output;

import io.replicator.cli.output.SyncProgress.Goal;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static io.replicator.cli.output.Snapshots.connection;
import static io.replicator.cli.output.Snapshots.device;
import static io.replicator.cli.output.Snapshots.peer;
import static io.replicator.cli.output.Snapshots.resource;
import static org.assertj.core.api.Assertions.assertThat;

/** The progress that wait-connect and wait-sync draw, from constructed snapshots. */
@Timeout(30)
class SyncProgressTest {
    private static PeerDeviceStatus target(double done, long etaSeconds, long rateKiB) {
        return new PeerDeviceStatus(0, ReplicationState.SYNC_TARGET, DiskState.UP_TO_DATE, false,
            OptionalDouble.of(done), List.of(), etaSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(etaSeconds),
            rateKiB < 0 ? OptionalLong.empty() : OptionalLong.of(rateKiB),
            new PeerDeviceStatistics(0, 0, 0, 0, 0, true, false));
    }

    private static ResourceStatus r0(PeerDeviceStatus bravo) {
        return resource("r0", Role.SECONDARY, List.of(device(0, DiskState.INCONSISTENT)),
            List.of(connection(1, "bravo", ConnectionState.CONNECTED, Role.PRIMARY, bravo)));
    }

    @Test
    void shouldPrintStateDoneRateAndEtaWhenPlain() {
        assertThat(SyncProgress.lines(Goal.IN_SYNC, List.of(r0(target(42.37, 12, 83149))), 3_000))
            .containsExactly("r0/0 bravo: SyncTarget 42.3% 81.2 MiB/s eta 0:00:12");
    }

    @Test
    void shouldDrawEmptyBarWhenNothingIsDoneYet() {
        assertThat(SyncProgress.bars(Goal.IN_SYNC, List.of(r0(target(0, 3_725, 512))), 80, 0))
            .containsExactly("r0/0 bravo: SyncTarget [>" + ".".repeat(27) + "] 0.0% 512 KiB/s eta 1:02:05");
    }

    @Test
    void shouldFillBarInProportionWhenPartlyDone() {
        assertThat(SyncProgress.bar(50, 20)).isEqualTo("[==========>.........]");
        List<String> lines = SyncProgress.bars(Goal.IN_SYNC, List.of(r0(target(42.3, 12, 83149))), 100, 0);
        assertThat(lines).singleElement().asString()
            .startsWith("r0/0 bravo: SyncTarget [================>")
            .endsWith("] 42.3% 81.2 MiB/s eta 0:00:12")
            .hasSize("r0/0 bravo: SyncTarget ".length() + SyncProgress.MAX_BAR + 2 + " 42.3% 81.2 MiB/s eta 0:00:12".length());
    }

    @Test
    void shouldNeverShowHundredPercentBeforeTheEnd() {
        assertThat(SyncProgress.percent(99.99)).isEqualTo("99.9%");
        assertThat(SyncProgress.bar(100, 10)).isEqualTo("[==========]");
    }

    @Test
    void shouldShowReasonAndNoRateWhenPaused() {
        PeerDeviceStatus paused = new PeerDeviceStatus(0, ReplicationState.PAUSED_SYNC_T, DiskState.UP_TO_DATE,
            false, OptionalDouble.of(42.3), List.of("user"), OptionalLong.empty(), OptionalLong.empty(),
            PeerDeviceStatistics.EMPTY);
        assertThat(SyncProgress.lines(Goal.IN_SYNC, List.of(r0(paused)), 0))
            .containsExactly("r0/0 bravo: PausedSyncT (user) 42.3%");
        assertThat(SyncProgress.bars(Goal.IN_SYNC, List.of(r0(paused)), 60, 0)).singleElement().asString()
            .startsWith("r0/0 bravo: PausedSyncT (user) [========>").endsWith("] 42.3%");
    }

    @Test
    void shouldShowDashesWhenRateAndEtaAreUnknown() {
        assertThat(SyncProgress.lines(Goal.IN_SYNC, List.of(r0(target(1.5, -1, -1))), 0))
            .containsExactly("r0/0 bravo: SyncTarget 1.5% -- MiB/s eta --:--:--");
    }

    @Test
    void shouldShrinkThenDropBarThenCutWhenTerminalIsNarrow() {
        List<ResourceStatus> statuses = List.of(r0(target(42.3, 12, 83149)));
        for (int width = 1; width <= 120; width++) {
            for (String line : SyncProgress.bars(Goal.IN_SYNC, statuses, width, 0)) {
                assertThat(line.length()).as("width %d: %s", width, line).isLessThanOrEqualTo(width);
            }
        }
        assertThat(SyncProgress.bars(Goal.IN_SYNC, statuses, 70, 0)).singleElement().asString().contains("[");
        assertThat(SyncProgress.bars(Goal.IN_SYNC, statuses, 60, 0))
            .containsExactly("r0/0 bravo: SyncTarget 42.3% 81.2 MiB/s eta 0:00:12");
        assertThat(SyncProgress.bars(Goal.IN_SYNC, statuses, 20, 0)).containsExactly("r0/0 bravo: SyncTarg");
    }

    @Test
    void shouldReachInSyncOnlyWhenEstablishedAndBothDisksUpToDate() {
        ResourceStatus done = resource("r0", Role.SECONDARY, List.of(device(0, DiskState.UP_TO_DATE)),
            List.of(connection(1, "bravo", ConnectionState.CONNECTED, Role.PRIMARY,
                peer(0, ReplicationState.ESTABLISHED, DiskState.UP_TO_DATE))));
        assertThat(SyncProgress.reached(Goal.IN_SYNC, List.of(done))).isTrue();
        assertThat(SyncProgress.lines(Goal.IN_SYNC, List.of(done), 0)).isEmpty();
        assertThat(SyncProgress.finished(Goal.IN_SYNC, List.of(done), 65_000))
            .containsExactly("r0: in sync with bravo (0:01:05)");
        assertThat(SyncProgress.reached(Goal.IN_SYNC, List.of(r0(target(100, 0, 1))))).isFalse();
        ResourceStatus establishedButOutdated = resource("r0", Role.SECONDARY,
            List.of(device(0, DiskState.OUTDATED)), List.of(connection(1, "bravo", ConnectionState.CONNECTED,
                Role.PRIMARY, peer(0, ReplicationState.ESTABLISHED, DiskState.UP_TO_DATE))));
        assertThat(SyncProgress.lines(Goal.IN_SYNC, List.of(establishedButOutdated), 0))
            .containsExactly("r0/0 bravo: Established disk:Outdated peer-disk:UpToDate (waited 0:00:00)");
    }

    @Test
    void shouldWaitForEveryConnectionWhenConnecting() {
        ResourceStatus r = resource("r0", Role.PRIMARY, List.of(device(0, DiskState.UP_TO_DATE)), List.of(
            connection(1, "bravo", ConnectionState.CONNECTED, Role.SECONDARY,
                peer(0, ReplicationState.SYNC_SOURCE, DiskState.INCONSISTENT)),
            connection(2, "charlie", ConnectionState.CONNECTING, Role.UNKNOWN,
                peer(0, ReplicationState.OFF, DiskState.DUNKNOWN))));
        assertThat(SyncProgress.reached(Goal.CONNECTED, List.of(r))).isFalse();
        assertThat(SyncProgress.lines(Goal.CONNECTED, List.of(r), 5_000))
            .containsExactly("r0 charlie: Connecting (waited 0:00:05)");
        ResourceStatus both = resource("r0", Role.PRIMARY, r.devices(), List.of(r.connections().get(0),
            connection(2, "charlie", ConnectionState.CONNECTED, Role.SECONDARY,
                peer(0, ReplicationState.ESTABLISHED, DiskState.UP_TO_DATE))));
        assertThat(SyncProgress.reached(Goal.CONNECTED, List.of(both))).isTrue();
        assertThat(SyncProgress.finished(Goal.CONNECTED, List.of(both), 3_000))
            .containsExactly("r0: connected to bravo, charlie (0:00:03)");
    }

    @Test
    void shouldFormatRatesAndDurations() {
        assertThat(SyncProgress.rate(1023)).isEqualTo("1023 KiB/s");
        assertThat(SyncProgress.rate(1024)).isEqualTo("1.0 MiB/s");
        assertThat(SyncProgress.rate(3L * 1024 * 1024)).isEqualTo("3.0 GiB/s");
        assertThat(SyncProgress.duration(0)).isEqualTo("0:00:00");
        assertThat(SyncProgress.duration(100 * 3600 + 61)).isEqualTo("100:01:01");
    }
}

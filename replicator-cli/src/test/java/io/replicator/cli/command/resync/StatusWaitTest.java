package io.replicator.cli.command.resync;

import io.replicator.cli.output.SyncProgress.Goal;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ConnectionStatistics;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatistics;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The wait loop and its display, with a scripted daemon and a fake clock. */
@Timeout(30)
class StatusWaitTest {
    private long nowMs = 1_000_000;
    private final List<Long> pauses = new ArrayList<>();

    private static List<ResourceStatus> snapshot(ConnectionState state, ReplicationState replication,
                                                 DiskState disk, double done) {
        PeerDeviceStatus peer = new PeerDeviceStatus(0, replication, DiskState.UP_TO_DATE, false,
            replication.isSyncing() ? OptionalDouble.of(done) : OptionalDouble.empty(), List.of(),
            OptionalLong.of(10), OptionalLong.of(2048), PeerDeviceStatistics.EMPTY);
        return List.of(new ResourceStatus("r0", 0, Role.SECONDARY, List.of(), false, false, 0,
            List.of(new DeviceStatus(0, 1000, disk, false, false, true, "", DeviceStatistics.EMPTY)),
            List.of(new ConnectionStatus(1, "bravo", state, Role.PRIMARY, false, List.of(peer), List.of(),
                ConnectionStatistics.EMPTY))));
    }

    private StatusWait scripted(Deque<List<ResourceStatus>> script) {
        return new StatusWait(() -> script.size() > 1 ? script.poll() : script.peek(), () -> nowMs,
            millis -> {
                pauses.add(millis);
                nowMs += millis;
            }, 500);
    }

    @Test
    void shouldReturnOnceSyncedAfterPrintingProgress() throws Exception {
        Deque<List<ResourceStatus>> script = new ArrayDeque<>(List.of(
            snapshot(ConnectionState.CONNECTING, ReplicationState.OFF, DiskState.INCONSISTENT, 0),
            snapshot(ConnectionState.CONNECTED, ReplicationState.SYNC_TARGET, DiskState.INCONSISTENT, 50),
            snapshot(ConnectionState.CONNECTED, ReplicationState.ESTABLISHED, DiskState.UP_TO_DATE, 0)));
        StringWriter text = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(Goal.IN_SYNC, new PrintWriter(text), false, 80, 0);
        StatusWait.Outcome outcome = scripted(script).await(Goal.IN_SYNC, 0, display);
        assertThat(outcome.reached()).isPresent();
        assertThat(outcome.elapsedMs()).isEqualTo(1_000);
        assertThat(text.toString()).isEqualTo("r0 bravo: Connecting (waited 0:00:00)\n"
            + "r0/0 bravo: SyncTarget 50.0% 2.0 MiB/s eta 0:00:10\n");
    }

    @Test
    void shouldGiveUpAtTheTimeoutWithTheLastSnapshot() throws Exception {
        Deque<List<ResourceStatus>> script = new ArrayDeque<>(List.of(
            snapshot(ConnectionState.CONNECTING, ReplicationState.OFF, DiskState.INCONSISTENT, 0)));
        StatusWait.Outcome outcome = scripted(script).await(Goal.CONNECTED, 1_200, (s, e) -> { });
        assertThat(outcome.reached()).isEmpty();
        assertThat(outcome.elapsedMs()).isEqualTo(1_200);
        assertThat(pauses).containsExactly(500L, 500L, 200L);
        assertThat(outcome.last()).isEqualTo(script.peek());
    }

    @Test
    void shouldRedrawInPlaceOnATerminal() throws Exception {
        Deque<List<ResourceStatus>> script = new ArrayDeque<>(List.of(
            snapshot(ConnectionState.CONNECTED, ReplicationState.SYNC_TARGET, DiskState.INCONSISTENT, 10),
            snapshot(ConnectionState.CONNECTED, ReplicationState.SYNC_TARGET, DiskState.INCONSISTENT, 60),
            snapshot(ConnectionState.CONNECTED, ReplicationState.ESTABLISHED, DiskState.UP_TO_DATE, 0)));
        StringWriter text = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(Goal.IN_SYNC, new PrintWriter(text), true, 70, 5_000);
        StatusWait.Outcome outcome = scripted(script).await(Goal.IN_SYNC, 0, display);
        display.finish(List.of("r0: in sync with bravo (0:00:01)"));
        assertThat(outcome.reached()).isPresent();
        assertThat(text.toString()).isEqualTo(
            "r0/0 bravo: SyncTarget [=>" + ".".repeat(15) + "] 10.0% 2.0 MiB/s eta 0:00:10\033[K\n"
                + "\r\033[1F"
                + "r0/0 bravo: SyncTarget [" + "=".repeat(10) + ">" + ".".repeat(6) + "] 60.0% 2.0 MiB/s eta 0:00:10"
                + "\033[K\n"
                + "\r\033[1F\033[J"
                + "r0: in sync with bravo (0:00:01)\n");
    }
}

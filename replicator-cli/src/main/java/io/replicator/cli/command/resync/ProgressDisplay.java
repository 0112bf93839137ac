package io.replicator.cli.command.resync;

import io.replicator.cli.output.SyncProgress;
import io.replicator.cli.output.SyncProgress.Goal;
import io.replicator.core.state.ResourceStatus;

import java.io.PrintWriter;
import java.util.List;

/**
 * Shows a wait's progress. On a terminal the lines of {@link SyncProgress#bars} are redrawn in place (the cursor goes
 * back up over the previous drawing, ANSI {@code CSI n F}, and each line is cleared to its end); otherwise the plain
 * lines are printed every {@code plainEveryMs}, and not at all while there is nothing to wait for.
 */
final class ProgressDisplay implements StatusWait.Observer {
    private static final String CLEAR_LINE = "\033[K";
    private static final String CLEAR_BELOW = "\033[J";

    private final Goal goal;
    private final PrintWriter out;
    private final boolean terminal;
    private final int width;
    private final long plainEveryMs;
    private long nextPlainMs;
    private int drawn;

    ProgressDisplay(Goal goal, PrintWriter out, boolean terminal, int width, long plainEveryMs) {
        this.goal = goal;
        this.out = out;
        this.terminal = terminal;
        this.width = width;
        this.plainEveryMs = plainEveryMs;
    }

    @Override
    public void onSnapshot(List<ResourceStatus> statuses, long elapsedMs) {
        if (terminal) {
            redraw(SyncProgress.bars(goal, statuses, width, elapsedMs));
        } else if (elapsedMs >= nextPlainMs) {
            SyncProgress.lines(goal, statuses, elapsedMs).forEach(out::println);
            nextPlainMs = elapsedMs + plainEveryMs;
        }
        out.flush();
    }

    /** Replaces the progress lines with {@code lines} (the final words). */
    void finish(List<String> lines) {
        if (terminal) {
            redraw(List.of());
        }
        lines.forEach(out::println);
        out.flush();
    }

    private void redraw(List<String> lines) {
        StringBuilder text = new StringBuilder();
        if (drawn > 0) {
            text.append("\r\033[").append(drawn).append('F');
        }
        for (String line : lines) {
            text.append(line).append(CLEAR_LINE).append('\n');
        }
        if (lines.size() < drawn) {
            text.append(CLEAR_BELOW);
        }
        drawn = lines.size();
        out.print(text);
    }
}

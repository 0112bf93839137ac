package io.replicator.core.resource;

import io.replicator.core.activitylog.ActivityLog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecentExtentsTest {
    private static final long S = 1_000_000_000L;
    private static final long X = ActivityLog.EXTENT_BYTES;

    private static List<Long> recent(RecentExtents extents, long now) {
        List<Long> out = new ArrayList<>();
        extents.forEachRecent(now, out::add);
        return out;
    }

    @Test
    void writesWithinTheWindowAreReportedAsWholeExtents() {
        RecentExtents extents = new RecentExtents(5);
        extents.record(X - 4096, 8192, 100 * S); // straddles extents 0 and 1
        extents.record(7 * X + 10, 1, 103 * S);
        assertThat(recent(extents, 104 * S)).containsExactly(0L, X, 7 * X);
    }

    @Test
    void writesOlderThanTheWindowAreForgotten() {
        RecentExtents extents = new RecentExtents(5);
        extents.record(0, 4096, 100 * S);
        extents.record(3 * X, 4096, 104 * S);
        assertThat(recent(extents, 105 * S)).containsExactly(0L, 3 * X);
        assertThat(recent(extents, 106 * S)).containsExactly(3 * X);
        // A bucket reused for a later second starts empty.
        extents.record(5 * X, 4096, 106 * S);
        assertThat(recent(extents, 106 * S)).containsExactly(3 * X, 5 * X);
        assertThat(recent(extents, 200 * S)).isEmpty();
    }

    @Test
    void emptyWritesAndBadWindowsAreRejectedOrIgnored() {
        RecentExtents extents = new RecentExtents(1);
        extents.record(0, 0, S);
        assertThat(recent(extents, S)).isEmpty();
        assertThatThrownBy(() -> new RecentExtents(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

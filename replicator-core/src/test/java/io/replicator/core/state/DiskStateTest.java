package io.replicator.core.state;

import static io.replicator.core.state.DiskState.ATTACHING;
import static io.replicator.core.state.DiskState.CONSISTENT;
import static io.replicator.core.state.DiskState.DETACHING;
import static io.replicator.core.state.DiskState.DISKLESS;
import static io.replicator.core.state.DiskState.DUNKNOWN;
import static io.replicator.core.state.DiskState.FAILED;
import static io.replicator.core.state.DiskState.INCONSISTENT;
import static io.replicator.core.state.DiskState.NEGOTIATING;
import static io.replicator.core.state.DiskState.OUTDATED;
import static io.replicator.core.state.DiskState.UP_TO_DATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DiskStateTest {

    @Test
    void shouldSpellAndOrderAsDrbdWhenListed() {
        assertThat(Arrays.stream(DiskState.values()).map(DiskState::drbdName)).containsExactly("Diskless",
            "Attaching", "Detaching", "Failed", "Negotiating", "Inconsistent", "Outdated", "DUnknown", "Consistent",
            "UpToDate");
    }

    @Test
    void shouldRoundTripWhenParsingDrbdName() {
        for (DiskState disk : DiskState.values()) {
            assertThat(DiskState.parse(disk.drbdName())).isSameAs(disk);
        }
    }

    @Test
    void shouldCompareByDrbdOrderWhenAskedAtLeast() {
        assertThat(UP_TO_DATE.isAtLeast(CONSISTENT)).isTrue();
        assertThat(CONSISTENT.isAtLeast(CONSISTENT)).isTrue();
        assertThat(OUTDATED.isAtLeast(CONSISTENT)).isFalse();
        assertThat(INCONSISTENT.isAtLeast(OUTDATED)).isFalse();
    }

    @Test
    void shouldAllowAttachPathWhenAttaching() {
        assertThat(DiskState.isValid(DISKLESS, ATTACHING)).isTrue();
        assertThat(ATTACHING.predecessors()).containsExactlyInAnyOrder(DISKLESS, DUNKNOWN);
        for (DiskState after : new DiskState[] {INCONSISTENT, OUTDATED, CONSISTENT, UP_TO_DATE, FAILED, DISKLESS,
            NEGOTIATING}) {
            assertThat(DiskState.isValid(ATTACHING, after)).as("Attaching -> %s", after).isTrue();
        }
    }

    @Test
    void shouldAllowDegradingWhenUpToDate() {
        for (DiskState after : new DiskState[] {OUTDATED, INCONSISTENT, FAILED, DETACHING, DUNKNOWN}) {
            assertThat(DiskState.isValid(UP_TO_DATE, after)).as("UpToDate -> %s", after).isTrue();
        }
    }

    @Test
    void shouldAllowResyncResultsWhenInconsistent() {
        assertThat(DiskState.isValid(INCONSISTENT, UP_TO_DATE)).isTrue();
        assertThat(DiskState.isValid(INCONSISTENT, CONSISTENT)).isTrue();
        assertThat(DiskState.isValid(OUTDATED, UP_TO_DATE)).isTrue();
        assertThat(DiskState.isValid(OUTDATED, INCONSISTENT)).isTrue();
    }

    @Test
    void shouldRejectShortcutsWhenSkippingSteps() {
        assertThat(DiskState.isValid(DISKLESS, UP_TO_DATE)).as("attach must read metadata").isFalse();
        assertThat(DiskState.isValid(DISKLESS, FAILED)).isFalse();
        assertThat(DiskState.isValid(UP_TO_DATE, DISKLESS)).as("detach goes through Detaching or Failed").isFalse();
        assertThat(DiskState.isValid(FAILED, UP_TO_DATE)).isFalse();
        assertThat(DiskState.isValid(DETACHING, UP_TO_DATE)).isFalse();
        assertThat(DiskState.isValid(UP_TO_DATE, UP_TO_DATE)).isFalse();
    }

    @Test
    void shouldAllowUnknownBothWaysWhenPeerDisconnectsOrReturns() {
        for (DiskState disk : DiskState.values()) {
            if (disk != DUNKNOWN) {
                assertThat(DiskState.isValid(disk, DUNKNOWN)).as("%s -> DUnknown", disk).isTrue();
                assertThat(DiskState.isValid(DUNKNOWN, disk)).as("DUnknown -> %s", disk).isTrue();
            }
        }
    }

    /** A resync from an Outdated source ends Outdated: the copy is as new as its source. */
    @Test
    void shouldAllowOutdatedAtTheEndOfAResyncFromAnOutdatedSource() {
        assertThat(DiskState.isValid(INCONSISTENT, OUTDATED)).isTrue();
    }
}

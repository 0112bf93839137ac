package io.replicator.core.resource;

import io.replicator.core.replication.SyncMessage;
import io.replicator.core.state.DiskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A volume resyncs from one source at a time: a second resync as target would finish on its own and declare the data
 * UpToDate while the first still copies (the simulation's "finished a resync from X while another runs").
 */
@Timeout(30)
class OneResyncSourceAtATimeTest {
    private final ScriptedPeers network = new ScriptedPeers();

    @Test
    void invalidateIsRefusedWhileTheVolumeAlreadyResyncsAsTarget() throws Exception {
        ResourceConductor bravo = bravoBesideAlphaAndCharlie();

        assertThat(bravo.invalidate(true).ok()).isTrue();
        assertThat(bravo.diskStates()).isEqualTo(Map.of(0, DiskState.INCONSISTENT));

        Outcome again = bravo.invalidate(true);
        assertThat(again.ok()).isFalse();
        assertThat(again.message()).contains("already resyncing from alpha");
    }

    @Test
    void aPeerAskingThisTargetToResyncFromItTooIsToldToHandshakeAgain() throws Exception {
        ResourceConductor bravo = bravoBesideAlphaAndCharlie();
        assertThat(bravo.invalidate(true).ok()).isTrue();

        network.events("charlie").sync(SyncMessage.of(SyncMessage.Kind.BECOME_TARGET, 0, 0, 0, 0));

        assertThat(network.closesOf("charlie")).as("charlie's session ends; the next handshake decides again")
            .anyMatch(reason -> reason.contains("is resyncing with alpha"));
    }

    /**
     * A sync source is not made another node's sync target mid-resync (its data would change under the first), nor a
     * sync target another node's source (the data it would send is changing under its resync).
     */
    @ParameterizedTest(name = "bravo told {0} by alpha, then {1} by charlie")
    @CsvSource({"BECOME_SOURCE, BECOME_TARGET, is resyncing with alpha",
        "BECOME_TARGET, BECOME_SOURCE, is resyncing from alpha"})
    void aNodeResyncingWithOneIsToldByAnotherToHandshakeAgain(SyncMessage.Kind first, SyncMessage.Kind second,
                                                              String reason) throws Exception {
        bravoBesideAlphaAndCharlie();
        network.events("alpha").sync(SyncMessage.of(first, 0, 0, 0, 0));

        network.events("charlie").sync(SyncMessage.of(second, 0, 0, 0, 0));

        assertThat(network.closesOf("charlie")).as("charlie's session ends; the next handshake decides again")
            .anyMatch(closed -> closed.contains(reason));
    }

    /**
     * A bitmap resync as target changes nothing on disk before the source's bitmap came: a session that ends before
     * leaves the data as it was — the disk state before, the generation ids unchanged. Before, the target's metadata
     * took the resync's ids at the decision, and a copy holding every acknowledged write, left Inconsistent under an
     * older generation, was overwritten by a node that lacked them (simulation seed 5801177670458957350, five nodes).
     */
    @Test
    void aResyncThatEndsBeforeTheSourcesBitmapCameLeavesTheDataAsItWas() throws Exception {
        ResourceConductor bravo = bravoBesideAlphaAndCharlie();
        io.replicator.core.generation.GenerationIds before = bravo.superblock(0).orElseThrow().generationIds();

        network.events("alpha").sync(SyncMessage.of(SyncMessage.Kind.BECOME_TARGET, 0, 0, 0, 0));
        assertThat(bravo.diskStates()).as("no other peer takes it as a source now").isEqualTo(
            Map.of(0, DiskState.INCONSISTENT));
        assertThat(bravo.superblock(0).orElseThrow().generationIds()).isEqualTo(before);

        network.lose("alpha", "cut before the bitmap came");

        ScriptedPeers.await("UpToDate again", () -> bravo.diskStates().equals(Map.of(0, DiskState.UP_TO_DATE)));
        assertThat(bravo.superblock(0).orElseThrow().generationIds()).isEqualTo(before);
        assertThat(bravo.superblock(0).orElseThrow().has(io.replicator.core.metadata.MetadataFlag.CONSISTENT))
            .isTrue();
    }

    /** bravo, up with alpha and charlie connected (twins of its data). */
    private ResourceConductor bravoBesideAlphaAndCharlie() throws Exception {
        ResourceConductor bravo = TestNode.start(network, "bravo", 3, "").conductor();
        network.connectAsTwin("alpha");
        network.connectAsTwin("charlie");
        return bravo;
    }
}

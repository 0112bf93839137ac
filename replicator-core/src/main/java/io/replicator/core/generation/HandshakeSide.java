package io.replicator.core.generation;

import io.replicator.core.state.DiskState;
import java.util.Objects;

/**
 * One side's contribution to the connect-time handshake: what the id comparison needs ({@link SyncInput}) plus what
 * the steps after it need (drbd.md §4 "8.4 handshake after the compare", §5).
 *
 * @param sync          the side's generation ids, role and flags; {@link SyncInput#primary()} is the role now and
 *                      {@link SyncInput#wasPrimaryAtSplit()} the role at the split
 * @param disk          the side's disk state now: exactly one Inconsistent side is target; a source must be better
 *                      than Inconsistent; rr-conflict protects a Primary whose disk is at least Consistent
 * @param changedBlocks the dirty bits the side holds toward the other (DRBD's {@code ch_self} / {@code ch_peer}):
 *                      the blocks it wrote that the other lacks
 * @param discardMyData the side's operator asked {@code connect --discard-my-data} (uuid flag bit 0): it volunteers
 *                      as the target of an otherwise unresolved split brain
 * @param restartedUnclean the side restarted without a clean shutdown and has not completed a handshake since: it
 *                      may have lost writes it acknowledged but had not flushed
 * @param servesPrimary the side replicates from a Primary other than the other side: its data is in use there, and
 *                      a resync from the other side would change it under that Primary's writes
 * @param lastWrite     the last write the side applied from a Primary
 * @param ackedAsPrimary the side completed writes since its last promotion (of two split-brain sides that both lost
 *                      quorum as Primary, the one with acknowledged writes is kept)
 * @param followsPrimary the side's data is Inconsistent and holds some writes of its current generation, taken from a
 *                      Primary: its disk state alone does not make it a sync target ({@link DiskStateOverride})
 * @param heldForAnotherPrimary with quorum on: the side, a Secondary, holds writes a Primary other than the other side
 *                      completed (it last applied a third node's writes, or completed its own as Primary and was
 *                      demoted) — perhaps with this side's vote; an after-sb-1pri policy does not discard them for
 *                      the other side, a Primary
 */
public record HandshakeSide(SyncInput sync, DiskState disk, long changedBlocks, boolean discardMyData,
                            boolean restartedUnclean, boolean servesPrimary, LastWrite lastWrite,
                            boolean ackedAsPrimary, boolean followsPrimary, boolean heldForAnotherPrimary) {
    public HandshakeSide {
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(lastWrite, "lastWrite");
        if (changedBlocks < 0) {
            throw new IllegalArgumentException("changed blocks must not be negative: " + changedBlocks);
        }
    }

    /** A side without acknowledged writes of its own generation. */
    public HandshakeSide(SyncInput sync, DiskState disk, long changedBlocks, boolean discardMyData,
                         boolean restartedUnclean, boolean servesPrimary, LastWrite lastWrite) {
        this(sync, disk, changedBlocks, discardMyData, restartedUnclean, servesPrimary, lastWrite, false, false, false);
    }

    /** A side that did not restart uncleanly and serves no Primary. */
    public HandshakeSide(SyncInput sync, DiskState disk, long changedBlocks, boolean discardMyData) {
        this(sync, disk, changedBlocks, discardMyData, false, false, LastWrite.NONE);
    }

    /** An UpToDate side with no changes that did not ask to discard its data. */
    public static HandshakeSide of(SyncInput sync) {
        return new HandshakeSide(sync, DiskState.UP_TO_DATE, 0, false);
    }

    /** This side with the role now ({@link SyncInput#primary()}) replaced. */
    public HandshakeSide withPrimary(boolean value) {
        return new HandshakeSide(sync.withPrimary(value), disk, changedBlocks, discardMyData, restartedUnclean,
            servesPrimary, lastWrite, ackedAsPrimary, followsPrimary, heldForAnotherPrimary);
    }

    /** This side with {@link #disk()} replaced. */
    public HandshakeSide withDisk(DiskState value) {
        return new HandshakeSide(sync, value, changedBlocks, discardMyData, restartedUnclean, servesPrimary, lastWrite,
            ackedAsPrimary, followsPrimary, heldForAnotherPrimary);
    }

    /** This side with {@link #changedBlocks()} replaced. */
    public HandshakeSide withChangedBlocks(long value) {
        return new HandshakeSide(sync, disk, value, discardMyData, restartedUnclean, servesPrimary, lastWrite,
            ackedAsPrimary, followsPrimary, heldForAnotherPrimary);
    }

    /** This side with {@link #discardMyData()} replaced. */
    public HandshakeSide withDiscardMyData(boolean value) {
        return new HandshakeSide(sync, disk, changedBlocks, value, restartedUnclean, servesPrimary, lastWrite,
            ackedAsPrimary, followsPrimary, heldForAnotherPrimary);
    }

    /** This side with {@link #restartedUnclean()} replaced. */
    public HandshakeSide withRestartedUnclean(boolean value) {
        return new HandshakeSide(sync, disk, changedBlocks, discardMyData, value, servesPrimary, lastWrite,
            ackedAsPrimary, followsPrimary, heldForAnotherPrimary);
    }

    /** This side with {@link #servesPrimary()} replaced. */
    public HandshakeSide withServesPrimary(boolean value) {
        return new HandshakeSide(sync, disk, changedBlocks, discardMyData, restartedUnclean, value, lastWrite,
            ackedAsPrimary, followsPrimary, heldForAnotherPrimary);
    }

    /** This side with {@link #lastWrite()} replaced. */
    public HandshakeSide withLastWrite(LastWrite value) {
        return new HandshakeSide(sync, disk, changedBlocks, discardMyData, restartedUnclean, servesPrimary, value,
            ackedAsPrimary, followsPrimary, heldForAnotherPrimary);
    }

    /** This side with {@link #ackedAsPrimary()} replaced. */
    public HandshakeSide withAckedAsPrimary(boolean value) {
        return new HandshakeSide(sync, disk, changedBlocks, discardMyData, restartedUnclean, servesPrimary, lastWrite,
            value, followsPrimary, heldForAnotherPrimary);
    }

    /** This side with {@link #followsPrimary()} replaced. */
    public HandshakeSide withFollowsPrimary(boolean value) {
        return new HandshakeSide(sync, disk, changedBlocks, discardMyData, restartedUnclean, servesPrimary, lastWrite,
            ackedAsPrimary, value, heldForAnotherPrimary);
    }

    /** This side with {@link #heldForAnotherPrimary()} replaced. */
    public HandshakeSide withHeldForAnotherPrimary(boolean value) {
        return new HandshakeSide(sync, disk, changedBlocks, discardMyData, restartedUnclean, servesPrimary, lastWrite,
            ackedAsPrimary, followsPrimary, value);
    }

    /** Whether the side is Primary now. */
    public boolean primary() {
        return sync.primary();
    }
}

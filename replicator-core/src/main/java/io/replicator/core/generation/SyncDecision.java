package io.replicator.core.generation;

import java.util.Objects;

/**
 * The outcome of the connect-time comparison of two generation-id sets, seen from one side ("self"). Every case
 * carries the {@link SyncRule} that produced it.
 *
 * <p>The two sides of a connection reach mirror-image decisions: {@code decide(b, a)} equals
 * {@code decide(a, b).mirror()}.
 */
public sealed interface SyncDecision {

    /** The rule that produced this decision. */
    SyncRule rule();

    /** DRBD 9's strategy name, e.g. {@code target-use-bitmap}. */
    String strategyName();

    /** The same decision as the peer sees it: source and target swap, the rule is mirrored. */
    SyncDecision mirror();

    /**
     * Whether any resync that settles this decision must copy every block because no bitmap covers the difference:
     * the full-sync strategies, a split brain that is not auto-recoverable, unrelated data (DRBD's
     * {@code full_sync_equivalent} logic).
     */
    boolean needsFullSync();

    /** Whether this node becomes SyncSource. */
    default boolean isSyncSource() {
        return false;
    }

    /** Whether this node becomes SyncTarget. */
    default boolean isSyncTarget() {
        return false;
    }

    /** The log line {@code sync decision: <strategy> by rule <name>}. */
    default String logLine() {
        return "sync decision: " + strategyName() + " by rule " + rule().drbdName();
    }

    /** Nothing to resync. */
    record NoSync(SyncRule rule) implements SyncDecision {
        public NoSync {
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String strategyName() {
            return "no-sync";
        }

        @Override
        public NoSync mirror() {
            return new NoSync(rule.mirror());
        }

        @Override
        public boolean needsFullSync() {
            return false;
        }
    }

    /** This node becomes SyncSource. */
    record BecomeSyncSource(Kind kind, SyncRule rule) implements SyncDecision {
        /** What the source does with its bitmap toward the target. */
        public enum Kind {
            /** Send the blocks its bitmap for this peer marks. */
            USE_BITMAP,
            /** Mark every block: full sync. */
            SET_BITMAP,
            /** Use its bitmap for another node whose bitmap id is the peer's current. */
            COPY_OTHER_BITMAP
        }

        public BecomeSyncSource {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String strategyName() {
            return switch (kind) {
                case USE_BITMAP -> "source-use-bitmap";
                case SET_BITMAP -> "source-set-bitmap";
                case COPY_OTHER_BITMAP -> "source-copy-other-bitmap";
            };
        }

        @Override
        public BecomeSyncTarget mirror() {
            BecomeSyncTarget.Kind mirrored = switch (kind) {
                case USE_BITMAP -> BecomeSyncTarget.Kind.USE_BITMAP;
                case SET_BITMAP -> BecomeSyncTarget.Kind.SET_BITMAP;
                case COPY_OTHER_BITMAP -> BecomeSyncTarget.Kind.CLEAR_BITMAP;
            };
            return new BecomeSyncTarget(mirrored, rule.mirror());
        }

        @Override
        public boolean needsFullSync() {
            return kind == Kind.SET_BITMAP;
        }

        @Override
        public boolean isSyncSource() {
            return true;
        }
    }

    /** This node becomes SyncTarget. */
    record BecomeSyncTarget(Kind kind, SyncRule rule) implements SyncDecision {
        /** What the target does with its bitmap toward the source. */
        public enum Kind {
            /** Receive the blocks the bitmaps mark. */
            USE_BITMAP,
            /** Mark every block: full sync. */
            SET_BITMAP,
            /** Start from a clear bitmap; the source supplies the changed blocks from its bitmap for another node. */
            CLEAR_BITMAP
        }

        public BecomeSyncTarget {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String strategyName() {
            return switch (kind) {
                case USE_BITMAP -> "target-use-bitmap";
                case SET_BITMAP -> "target-set-bitmap";
                case CLEAR_BITMAP -> "target-clear-bitmap";
            };
        }

        @Override
        public BecomeSyncSource mirror() {
            BecomeSyncSource.Kind mirrored = switch (kind) {
                case USE_BITMAP -> BecomeSyncSource.Kind.USE_BITMAP;
                case SET_BITMAP -> BecomeSyncSource.Kind.SET_BITMAP;
                case CLEAR_BITMAP -> BecomeSyncSource.Kind.COPY_OTHER_BITMAP;
            };
            return new BecomeSyncSource(mirrored, rule.mirror());
        }

        @Override
        public boolean needsFullSync() {
            return kind == Kind.SET_BITMAP;
        }

        @Override
        public boolean isSyncTarget() {
            return true;
        }
    }

    /**
     * Both sides wrote since their common ancestor.
     *
     * <p>{@code autoRecoverable} is DRBD's 100 ("bitmap-both": both bitmaps start at the same generation, so the
     * changed blocks of both sides are known and the after-sb-* policies may pick a side); otherwise −100
     * (history-both, or both Primary after a crash): only a manual {@code --discard-my-data}, or an always-asbp
     * policy followed by a full sync, resolves it.
     *
     * <p>This case is deliberately thin: a split-brain resolver takes it together with the two {@link SyncInput}s
     * (roles now, and "was Primary at the split" from {@link SyncInput#wasPrimaryAtSplit()}) and the changed-block
     * counts from the bitmaps, which this pure comparison does not see.
     */
    record SplitBrain(boolean autoRecoverable, SyncRule rule) implements SyncDecision {
        public SplitBrain {
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String strategyName() {
            return autoRecoverable ? "split-brain-auto-recover" : "split-brain-disconnect";
        }

        @Override
        public SplitBrain mirror() {
            return new SplitBrain(autoRecoverable, rule.mirror());
        }

        @Override
        public boolean needsFullSync() {
            return !autoRecoverable;
        }
    }

    /** Nothing relates the two id sets: the data sets are different, drop the connection ("Unrelated data"). */
    record UnrelatedData(SyncRule rule) implements SyncDecision {
        public UnrelatedData {
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String strategyName() {
            return "unrelated-data";
        }

        @Override
        public UnrelatedData mirror() {
            return new UnrelatedData(rule.mirror());
        }

        @Override
        public boolean needsFullSync() {
            return true;
        }
    }
}

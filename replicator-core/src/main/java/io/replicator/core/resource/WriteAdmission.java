package io.replicator.core.resource;

/**
 * Whether a Primary's writes may enter its data path now. Without quorum ({@link QuorumKeeper}) they wait
 * ({@code on-no-quorum suspend-io}: parked in their {@link VolumeIo} until quorum returns) or fail at once
 * ({@code io-error}). The owner lane sets it; I/O threads read it.
 */
final class WriteAdmission {
    enum Mode {
        /** Writes enter. */
        OPEN,
        /** Writes wait for quorum. */
        PARK,
        /** Writes fail. */
        FAIL
    }

    private volatile Mode mode = Mode.OPEN;
    private volatile String reason = "";

    Mode mode() {
        return mode;
    }

    /** Why writes do not enter now; empty while they do. */
    String reason() {
        return reason;
    }

    void set(Mode newMode, String why) {
        reason = why;
        mode = newMode;
    }
}

package io.replicator.cli.output;

/** The exit statuses of the replicator program (PRODUCT.md). */
public enum ExitCode {
    /** Success. */
    SUCCESS(0),
    /** Anything else: usage errors, I/O errors, missing metadata. */
    FAILURE(1),
    /** The configuration is invalid. */
    INVALID_CONFIG(10),
    /** A state change was refused; the reason is printed. */
    STATE_CHANGE_REFUSED(11),
    /** Promotion refused for lack of up-to-date data. */
    PROMOTION_REFUSED(17),
    /** The daemon could not be reached. */
    NO_DAEMON(20);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    /** The code whose status is {@code status}; {@link #FAILURE} for any other. */
    public static ExitCode forStatus(int status) {
        for (ExitCode code : values()) {
            if (code.status == status) {
                return code;
            }
        }
        return FAILURE;
    }

    /** The process exit status. */
    public int status() {
        return status;
    }
}

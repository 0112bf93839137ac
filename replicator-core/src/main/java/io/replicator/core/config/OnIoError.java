package io.replicator.core.config;

/** What a node does when its backing storage fails an I/O ({@code disk { on-io-error }}). */
public enum OnIoError {
    /** Report the error upwards and keep the disk (the block is marked out of sync). */
    PASS_ON("pass_on"),
    /** Run the {@code local-io-error} handler. */
    CALL_LOCAL_IO_ERROR("call-local-io-error"),
    /** Detach the disk and go on Diskless (the default). */
    DETACH("detach");

    private final String keyword;

    OnIoError(String keyword) {
        this.keyword = keyword;
    }

    /** The spelling in the configuration. */
    public String keyword() {
        return keyword;
    }
}

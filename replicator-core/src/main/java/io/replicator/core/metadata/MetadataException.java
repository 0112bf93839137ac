package io.replicator.core.metadata;

/** The metadata cannot be used as it is: missing, of another format, or inconsistent. The message says what to do. */
public final class MetadataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}

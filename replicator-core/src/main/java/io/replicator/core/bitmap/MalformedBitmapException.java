package io.replicator.core.bitmap;

/** Thrown when an encoded bitmap from a peer breaks its format; the message names the defect. */
public final class MalformedBitmapException extends RuntimeException {
    public MalformedBitmapException(String message) {
        super(message);
    }
}

package io.replicator.net.nbd;

/** A request failed with the NBD error {@link #errno()} (the protocol's values, which are Linux's). */
public final class NbdException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Operation not permitted: e.g. a write to an export that is not writable now. */
    public static final int EPERM = 1;
    /** Input/output error: the storage failed. */
    public static final int EIO = 5;
    /** Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** Invalid argument: bad flags, a read past the end, a misaligned or oversized request. */
    public static final int EINVAL = 22;
    /** No space left: a write past the end. */
    public static final int ENOSPC = 28;
    /** Value too large: a request that would need a reply too large to send. */
    public static final int EOVERFLOW = 75;
    /** Not supported: e.g. a fast zero the backend cannot do quickly. */
    public static final int ENOTSUP = 95;
    /** The export is shutting down: the client should disconnect. */
    public static final int ESHUTDOWN = 108;

    private final int errno;

    public NbdException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public NbdException(int errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** The NBD error value to send. */
    public int errno() {
        return errno;
    }
}

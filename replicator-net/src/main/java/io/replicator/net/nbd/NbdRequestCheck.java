package io.replicator.net.nbd;

import static io.replicator.net.nbd.NbdDescriptor.CMD_CACHE;
import static io.replicator.net.nbd.NbdDescriptor.CMD_FLAG_FAST_ZERO;
import static io.replicator.net.nbd.NbdDescriptor.CMD_FLAG_FUA;
import static io.replicator.net.nbd.NbdDescriptor.CMD_FLAG_NO_HOLE;
import static io.replicator.net.nbd.NbdDescriptor.CMD_FLUSH;
import static io.replicator.net.nbd.NbdDescriptor.CMD_READ;
import static io.replicator.net.nbd.NbdDescriptor.CMD_TRIM;
import static io.replicator.net.nbd.NbdDescriptor.CMD_WRITE;
import static io.replicator.net.nbd.NbdDescriptor.CMD_WRITE_ZEROES;

/**
 * The checks a request passes before it reaches the backend, with the spec's error for each failure: unknown
 * command or flag, or a flag on a command it does not apply to: EINVAL; a zero length or a READ longer than
 * {@link NbdDescriptor#MAX_PAYLOAD_BYTES} or past the end: EINVAL; a change to a read-only export: EPERM; a
 * WRITE, TRIM or WRITE_ZEROES past the end: ENOSPC; a FAST_ZERO the backend cannot do fast: ENOTSUP.
 */
final class NbdRequestCheck {
    private NbdRequestCheck() {
    }

    /** The refusal for {@code request}, or null when it may run. */
    static NbdException check(NbdRequest request, NbdExport export) {
        int type = request.type();
        int flags = request.flags();
        int allowed = CMD_FLAG_FUA | (type == CMD_WRITE_ZEROES ? CMD_FLAG_NO_HOLE | CMD_FLAG_FAST_ZERO : 0);
        if ((flags & ~allowed) != 0) {
            return new NbdException(NbdException.EINVAL, "flags 0x" + Integer.toHexString(flags)
                + " are not valid for command " + type);
        }
        long size = export.backend().sizeBytes();
        switch (type) {
            case CMD_READ, CMD_CACHE -> {
                if (type == CMD_READ && request.length() > NbdDescriptor.MAX_PAYLOAD_BYTES) {
                    return new NbdException(NbdException.EINVAL, "a read of more than "
                        + NbdDescriptor.MAX_PAYLOAD_BYTES + " bytes");
                }
                return outside(request, size) ? new NbdException(NbdException.EINVAL, range(request, size)) : null;
            }
            case CMD_WRITE, CMD_TRIM, CMD_WRITE_ZEROES -> {
                if (request.oversized()) {
                    return new NbdException(NbdException.EINVAL, "a write of more than "
                        + NbdDescriptor.MAX_PAYLOAD_BYTES + " bytes");
                }
                if (export.readOnly()) {
                    return new NbdException(NbdException.EPERM, "the export is read-only");
                }
                if (request.length() == 0) {
                    return new NbdException(NbdException.EINVAL, "a zero-length request");
                }
                if (outside(request, size)) {
                    return new NbdException(NbdException.ENOSPC, range(request, size));
                }
                if ((flags & CMD_FLAG_FAST_ZERO) != 0 && !export.backend().fastZero()) {
                    return new NbdException(NbdException.ENOTSUP, "zeroing is not faster than writing here");
                }
                return null;
            }
            case CMD_FLUSH -> {
                return request.offset() != 0 || request.length() != 0
                    ? new NbdException(NbdException.EINVAL, "FLUSH takes no offset or length") : null;
            }
            default -> {
                return new NbdException(NbdException.EINVAL, "unknown command " + type);
            }
        }
    }

    /** Whether [offset, offset + length) is empty or not wholly inside [0, size); offset is unsigned. */
    private static boolean outside(NbdRequest request, long size) {
        long offset = request.offset();
        long length = request.length();
        return length == 0 || offset < 0 || offset > size - length;
    }

    private static String range(NbdRequest request, long size) {
        return "range [" + Long.toUnsignedString(request.offset()) + ", +" + request.length()
            + ") is empty or lies outside the export of " + size + " bytes";
    }
}

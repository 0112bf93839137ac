package io.replicator.net.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;

/** Computes and checks the integrity digest of a data payload. One per codec instance: not thread-safe. */
final class PayloadDigest {
    private final DigestKind kind;
    private final CRC32C crc;
    private final MessageDigest sha256;

    PayloadDigest(DigestKind kind) {
        this.kind = kind;
        this.crc = kind == DigestKind.CRC32C ? new CRC32C() : null;
        try {
            this.sha256 = kind == DigestKind.SHA256 ? MessageDigest.getInstance("SHA-256") : null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    DigestKind kind() {
        return kind;
    }

    /** Appends the digest of the payload's readable bytes to {@code out}. */
    void write(ByteBuf payload, ByteBuf out) {
        switch (kind) {
            case NONE -> {
            }
            case CRC32C -> out.writeInt(crc32c(payload));
            case SHA256 -> out.writeBytes(sha256(payload));
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** Whether the digest at {@code index} in {@code frame} matches the payload's readable bytes. */
    boolean matches(ByteBuf payload, ByteBuf frame, int index) {
        switch (kind) {
            case NONE:
                return true;
            case CRC32C:
                return frame.getInt(index) == crc32c(payload);
            case SHA256:
                byte[] expected = sha256(payload);
                for (int i = 0; i < expected.length; i++) {
                    if (frame.getByte(index + i) != expected[i]) {
                        return false;
                    }
                }
                return true;
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    private int crc32c(ByteBuf payload) {
        crc.reset();
        if (payload.nioBufferCount() == 1) {
            crc.update(payload.nioBuffer());
        } else {
            for (ByteBuffer part : payload.nioBuffers()) {
                crc.update(part);
            }
        }
        return (int) crc.getValue();
    }

    private byte[] sha256(ByteBuf payload) {
        sha256.reset();
        for (ByteBuffer part : payload.nioBuffers()) {
            sha256.update(part);
        }
        return sha256.digest();
    }
}

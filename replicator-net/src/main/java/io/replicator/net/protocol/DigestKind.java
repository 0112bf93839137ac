package io.replicator.net.protocol;

import java.util.Locale;
import java.util.Optional;

/** The payload integrity digest of data frames ({@code data-integrity-alg}), with its wire code and length. */
public enum DigestKind {
    NONE(0, 0),
    CRC32C(1, 4),
    SHA256(2, 32);

    private final int code;
    private final int lengthBytes;

    DigestKind(int code, int lengthBytes) {
        this.code = code;
        this.lengthBytes = lengthBytes;
    }

    public int code() {
        return code;
    }

    public int lengthBytes() {
        return lengthBytes;
    }

    /**
     * The kind for a {@code data-integrity-alg} value: absent or empty is {@link #NONE}, "crc32c" and "sha256"
     * (any case, also "sha-256") their kinds. The two peers agree on the value in the handshake, so both sides map
     * it to the same kind.
     *
     * @throws IllegalArgumentException for any other algorithm, naming the ones supported
     */
    public static DigestKind of(Optional<String> dataIntegrityAlg) {
        String alg = dataIntegrityAlg.orElse("").trim().toLowerCase(Locale.ROOT);
        return switch (alg) {
            case "" -> NONE;
            case "crc32c" -> CRC32C;
            case "sha256", "sha-256" -> SHA256;
            default -> throw new IllegalArgumentException("unsupported data-integrity-alg '"
                + dataIntegrityAlg.orElse("") + "': use crc32c or sha256");
        };
    }

    /** The kind with this code, or {@code null} if there is none. */
    static DigestKind of(int code) {
        for (DigestKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}

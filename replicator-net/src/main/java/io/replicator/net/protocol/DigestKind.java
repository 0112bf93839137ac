package io.replicator.net.protocol;

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

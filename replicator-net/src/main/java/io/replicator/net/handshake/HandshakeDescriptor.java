package io.replicator.net.handshake;

/**
 * The handshake's own framing and message layouts. Every frame is:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |              length of kind + body (1..4096), u32            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     kind      |  body ...
 *  +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Bodies, big-endian; {@code str8} is a u8 length and that many UTF-8 bytes, {@code str16} the same with a u16:
 * <ul>
 *   <li>FEATURES: u32 protocol min, u32 protocol max, u32 feature flags, u32 sender node id,
 *       u32 receiver node id, str8 cram-hmac-alg ("" = no authentication).</li>
 *   <li>AUTH_CHALLENGE: exactly {@link #CHALLENGE_BYTES} random bytes.</li>
 *   <li>AUTH_RESPONSE: the HMAC, 1..{@link #MAX_DIGEST_BYTES} bytes.</li>
 *   <li>SETTINGS: u8 protocol (0 A, 1 B, 2 C), str8 after-sb-0pri, str8 after-sb-1pri, str8 after-sb-2pri,
 *       u8 flags ({@link #FLAG_DISCARD_MY_DATA}, {@link #FLAG_TWO_PRIMARIES}), str8 data-integrity-alg
 *       ("" = none), str8 compression.</li>
 *   <li>REFUSAL: u8 retryable (0/1), str16 reason (at most {@link #MAX_REASON_BYTES}).</li>
 * </ul>
 * Trailing bytes after a body are an error.
 */
final class HandshakeDescriptor {
    static final int LENGTH_BYTES = 4;
    static final int MAX_FRAME_BYTES = 4096;
    static final int KIND_FEATURES = 1;
    static final int KIND_AUTH_CHALLENGE = 2;
    static final int KIND_AUTH_RESPONSE = 3;
    static final int KIND_SETTINGS = 4;
    static final int KIND_REFUSAL = 5;
    static final int CHALLENGE_BYTES = 64;
    static final int MAX_DIGEST_BYTES = 64;
    static final int MAX_REASON_BYTES = 1024;
    static final int FLAG_DISCARD_MY_DATA = 1;
    static final int FLAG_TWO_PRIMARIES = 2;

    private HandshakeDescriptor() {
    }
}

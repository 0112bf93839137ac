package io.replicator.core.replication;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message of a resync or an online verify between two peers (the data itself travels separately, as resync
 * data). Offsets and lengths are in bytes; {@code id} pairs a reply with its request; {@code digest} is empty unless
 * the kind carries one.
 *
 * @param kind   what it is
 * @param volume the volume number
 * @param offset first byte of the range
 * @param length bytes in the range
 * @param id     the request id the message belongs to (0 where none)
 * @param digest a block digest ({@code csums-alg} or {@code verify-alg}); empty if none
 */
public record SyncMessage(Kind kind, int volume, long offset, int length, long id, byte[] digest) {
    /** Longest digest field: a verify reply carries one digest per 4 KiB block of its range. */
    public static final int MAX_DIGEST_BYTES = 4096;
    private static final byte[] NONE = new byte[0];

    /**
     * The kinds, with DRBD's packet in brackets. {@link #control()} kinds travel on the control stream and are
     * handled without blocking; the others travel on the data stream, in order with the writes.
     */
    public enum Kind {
        /** Target to source: send me the range [P_RS_DATA_REQUEST]. */
        REQUEST(1, false),
        /** Target to source: send me the range unless its digest is {@code digest} [P_CSUM_RS_REQUEST]. */
        CSUM_REQUEST(2, false),
        /** Source to target: the digests matched, the range is in sync [P_RS_IS_IN_SYNC]. */
        IN_SYNC(3, false),
        /** Source to target: the range could not be read [P_NEG_RS_DREPLY]. */
        NEG_REPLY(4, false),
        /** Target to source: the resync data was written [P_RS_WRITE_ACK]; the source clears its bits. */
        WRITE_ACK(5, true),
        /** Target to source: the resync data could not be written [P_NEG_ACK]. */
        NEG_WRITE_ACK(6, true),
        /** Verify source to verify target: send the digest of the range [P_OV_REQUEST]. */
        VERIFY_REQUEST(7, false),
        /** Verify target to source: the digest of its range [P_OV_REPLY]. */
        VERIFY_REPLY(8, true),
        /** Verify source to target: the range differs, mark it out of sync [P_OV_RESULT]. */
        VERIFY_OUT_OF_SYNC(9, true),
        /** Verify source to target: the verify ended at {@code offset} (finished or stopped). */
        VERIFY_DONE(10, false),
        /** Either side: resync paused by its administrator ({@code pause-sync}). */
        PAUSE(11, false),
        /** Either side: {@link #PAUSE} lifted ({@code resume-sync}). */
        RESUME(12, false),
        /** {@code invalidate} at the sender: become sync source of the volume for it (it sends its bitmap next). */
        BECOME_SOURCE(13, false),
        /** {@code invalidate-remote} at the sender: become sync target of the volume (it sends its bitmap next). */
        BECOME_TARGET(14, false),
        /**
         * Primary to its Secondaries: from here on in the stream it replicates to the nodes whose bits are set in
         * {@code offset} (bit n = node id n), and to no other. A Secondary marks the Primary's writes for a node left
         * out, since that node will not get them from the Primary (DRBD's peer-acks tell the same).
         */
        PEERS(15, false),
        /**
         * Candidate to the peers it replicates with: agree to my promotion (vote {@code id}) [P_TWOPC_PREPARE].
         * On the data stream, so that it follows what the candidate sent before.
         */
        PROMOTE_REQUEST(16, false),
        /**
         * Voter to candidate: {@code offset} 1 agrees to vote {@code id}, 0 refuses with the reason (UTF-8) in
         * {@code digest} [P_TWOPC_YES, P_TWOPC_NO].
         */
        PROMOTE_REPLY(17, false),
        /**
         * Candidate to voters: vote {@code id} is over [P_TWOPC_COMMIT, P_TWOPC_ABORT]; a promotion it made reached
         * the voter before, in its role report.
         */
        PROMOTE_DONE(18, false),
        /**
         * Primary to the peers it replicates with, after losing another one: answer {@code id} if you are there. On
         * the control stream: on the data stream it could wait behind a resync request that waits for the very writes
         * the probe holds. No DRBD equivalent.
         */
        PROBE(19, true),
        /** Answer to {@link #PROBE} {@code id}: the sender is there. */
        PROBE_REPLY(20, true);

        private static final Kind[] BY_CODE = new Kind[32];

        static {
            for (Kind kind : values()) {
                BY_CODE[kind.code] = kind;
            }
        }

        private final int code;
        private final boolean control;

        Kind(int code, boolean control) {
            this.code = code;
            this.control = control;
        }

        /** The wire code. */
        public int code() {
            return code;
        }

        /** Whether this kind travels on the control stream. */
        public boolean control() {
            return control;
        }

        /** The kind with wire code {@code code}. */
        public static Kind of(int code) {
            Kind kind = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
            if (kind == null) {
                throw new IllegalArgumentException("unknown sync message kind " + code);
            }
            return kind;
        }
    }

    public SyncMessage {
        Objects.requireNonNull(kind, "kind");
        digest = digest == null || digest.length == 0 ? NONE : digest.clone();
        if (digest.length > MAX_DIGEST_BYTES) {
            throw new IllegalArgumentException("digest of " + digest.length + " bytes");
        }
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("range " + offset + "+" + length);
        }
    }

    /** A message without digest. */
    public static SyncMessage of(Kind kind, int volume, long offset, int length, long id) {
        return new SyncMessage(kind, volume, offset, length, id, NONE);
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** Whether the message carries {@code other} as digest. */
    public boolean digestEquals(byte[] other) {
        return Arrays.equals(digest, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncMessage m && kind == m.kind && volume == m.volume && offset == m.offset
            && length == m.length && id == m.id && Arrays.equals(digest, m.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, volume, offset, length, id) * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return kind + "(" + volume + ":" + offset + "+" + length + " #" + id
            + (digest.length > 0 ? " digest " + digest.length + "B" : "") + ")";
    }
}

package io.replicator.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The effective {@code net { }} options of one connection, typed and in named units. Policies keep drbd.conf's
 * spelling (e.g. {@code afterSb0pri} = "discard-zero-changes"); the allowed values are those of {@link Keywords}.
 *
 * @param protocol          when a write completes
 * @param timeoutMs         {@code timeout}: a peer that does not answer a request in this time is dead
 * @param connectIntMs      {@code connect-int}: between connection attempts
 * @param pingIntMs         {@code ping-int}: idle time before a ping
 * @param pingTimeoutMs     {@code ping-timeout}: how long to wait for a ping ack
 * @param koCount           {@code ko-count}: timeouts of one write before the peer is dropped (0 = off)
 * @param maxBuffers        {@code max-buffers}: receive/resync buffer pages
 * @param maxEpochSize      {@code max-epoch-size}: writes per epoch
 * @param allowTwoPrimaries {@code allow-two-primaries}
 * @param cramHmacAlg       {@code cram-hmac-alg}, if peers authenticate
 * @param sharedSecret      {@code shared-secret}
 * @param afterSb0pri       {@code after-sb-0pri}
 * @param afterSb1pri       {@code after-sb-1pri}
 * @param afterSb2pri       {@code after-sb-2pri}
 * @param rrConflict        {@code rr-conflict}
 * @param alwaysAsbp        {@code always-asbp}
 * @param dataIntegrityAlg  {@code data-integrity-alg}, if every block carries a digest
 * @param csumsAlg          {@code csums-alg}, if resync compares checksums
 * @param verifyAlg         {@code verify-alg}, if online verify is configured
 * @param useRle            {@code use-rle}: run-length encode bitmaps
 * @param onCongestion      {@code on-congestion}: block, pull-ahead or disconnect
 * @param congestionFillBytes {@code congestion-fill} (0 = off)
 * @param congestionExtents {@code congestion-extents}
 * @param fencing           {@code fencing}: dont-care, resource-only or resource-and-stonith
 * @param compression       {@code compression} (extension): lz4 or none
 * @param tls               {@code tls}
 * @param tlsCertificate    {@code tls-certificate} (extension)
 * @param tlsPrivkey        {@code tls-privkey} (extension)
 * @param tlsCa             {@code tls-ca} (extension)
 * @param sndbufSize        {@code sndbuf-size}: the peer sockets' send buffer in bytes (0 = the kernel tunes it)
 * @param rcvbufSize        {@code rcvbuf-size}: their receive buffer in bytes (0 = the kernel tunes it)
 */
public record NetConfig(Protocol protocol, long timeoutMs, long connectIntMs, long pingIntMs, long pingTimeoutMs,
                        int koCount, int maxBuffers, int maxEpochSize, boolean allowTwoPrimaries,
                        Optional<String> cramHmacAlg, Optional<String> sharedSecret, String afterSb0pri,
                        String afterSb1pri, String afterSb2pri, String rrConflict, boolean alwaysAsbp,
                        Optional<String> dataIntegrityAlg, Optional<String> csumsAlg, Optional<String> verifyAlg,
                        boolean useRle, String onCongestion, long congestionFillBytes, int congestionExtents,
                        String fencing, String compression, boolean tls, Optional<String> tlsCertificate,
                        Optional<String> tlsPrivkey, Optional<String> tlsCa, int sndbufSize, int rcvbufSize) {
    /** Nothing written: every option at its default. */
    public static final NetConfig DEFAULT = of(Map.of());

    /**
     * The net options from {@code written} (key → value as written, flags as "yes"/"no"); absent or invalid values
     * take the default (the validator reports invalid ones).
     */
    public static NetConfig of(Map<String, String> written) {
        WrittenValues v = new WrittenValues(written);
        return new NetConfig(
            Protocol.valueOf(v.choice(Keywords.PROTOCOL).toUpperCase(Locale.ROOT)),
            v.number(Keywords.TIMEOUT) * 100, v.number(Keywords.CONNECT_INT) * 1000,
            v.number(Keywords.PING_INT) * 1000, v.number(Keywords.PING_TIMEOUT) * 100,
            (int) v.number(Keywords.KO_COUNT), (int) v.number(Keywords.MAX_BUFFERS),
            (int) v.number(Keywords.MAX_EPOCH_SIZE), v.flag(Keywords.ALLOW_TWO_PRIMARIES),
            v.text(Keywords.CRAM_HMAC_ALG), v.text(Keywords.SHARED_SECRET), v.choice(Keywords.AFTER_SB_0PRI),
            v.choice(Keywords.AFTER_SB_1PRI), v.choice(Keywords.AFTER_SB_2PRI), v.choice(Keywords.RR_CONFLICT),
            v.flag(Keywords.ALWAYS_ASBP), v.text(Keywords.DATA_INTEGRITY_ALG), v.text(Keywords.CSUMS_ALG),
            v.text(Keywords.VERIFY_ALG), v.flag(Keywords.USE_RLE), v.choice(Keywords.ON_CONGESTION),
            v.number(Keywords.CONGESTION_FILL) * ScaledNumber.SECTOR, (int) v.number(Keywords.CONGESTION_EXTENTS),
            v.choice(Keywords.FENCING), v.choice(Keywords.COMPRESSION), v.flag(Keywords.TLS),
            v.text(Keywords.TLS_CERTIFICATE), v.text(Keywords.TLS_PRIVKEY), v.text(Keywords.TLS_CA),
            (int) v.number(Keywords.SNDBUF_SIZE), (int) v.number(Keywords.RCVBUF_SIZE));
    }
}

package io.replicator.net.handshake;

import io.replicator.core.config.NetConfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The cram-hmac computation: response = HMAC(shared-secret, challenge ‖ be32(node id)). Algorithm names follow
 * drbd.conf ("sha1", "sha256", ...; "hmac(sha256)" is accepted too) and map to the JDK's Hmac algorithms.
 */
final class CramHmac {
    private static final Map<String, String> JDK_NAMES = Map.of(
        "md5", "HmacMD5", "sha1", "HmacSHA1", "sha224", "HmacSHA224", "sha256", "HmacSHA256",
        "sha384", "HmacSHA384", "sha512", "HmacSHA512");

    private final String name;
    private final SecretKeySpec key;

    private CramHmac(String name, SecretKeySpec key) {
        this.name = name;
        this.key = key;
    }

    /**
     * The authenticator for {@code net}, empty when {@code cram-hmac-alg} is not set.
     *
     * @throws IllegalArgumentException for an algorithm the JDK cannot run or a missing shared secret
     */
    static Optional<CramHmac> of(NetConfig net) {
        if (net.cramHmacAlg().isEmpty() || net.cramHmacAlg().get().isEmpty()) {
            return Optional.empty();
        }
        String name = canonical(net.cramHmacAlg().get());
        String jdkName = JDK_NAMES.get(name);
        if (jdkName == null) {
            throw new IllegalArgumentException("unsupported cram-hmac-alg '" + net.cramHmacAlg().get()
                + "': use one of " + new java.util.TreeSet<>(JDK_NAMES.keySet()));
        }
        String secret = net.sharedSecret().orElse("");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("cram-hmac-alg " + name + " needs a shared-secret");
        }
        return Optional.of(new CramHmac(name, new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), jdkName)));
    }

    /** The algorithm as both peers announce it, e.g. "sha256". */
    String name() {
        return name;
    }

    static String canonical(String alg) {
        String lower = alg.toLowerCase(Locale.ROOT).replace("-", "");
        if (lower.startsWith("hmac(") && lower.endsWith(")")) {
            lower = lower.substring(5, lower.length() - 1);
        }
        return lower;
    }

    /** HMAC(secret, challenge ‖ be32(nodeId)). */
    byte[] response(byte[] challenge, int nodeId) {
        try {
            Mac mac = Mac.getInstance(key.getAlgorithm());
            mac.init(key);
            mac.update(challenge);
            mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(nodeId).array());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute " + key.getAlgorithm(), e);
        }
    }

    /** Whether {@code digest} answers {@code challenge} for {@code nodeId}; constant time. */
    boolean verify(byte[] challenge, int nodeId, byte[] digest) {
        return MessageDigest.isEqual(response(challenge, nodeId), digest);
    }
}

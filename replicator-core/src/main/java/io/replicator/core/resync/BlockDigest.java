package io.replicator.core.resync;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The digest of a block for {@code csums-alg} (checksum-based resync) and {@code verify-alg} (online verify), named as
 * DRBD names the kernel's algorithms: {@code crc32c} (the JDK's {@link CRC32C}), {@code md5}, {@code sha1},
 * {@code sha256}, {@code sha512}. A new digester per call: callers run on several threads.
 */
public final class BlockDigest {
    private static final Map<String, String> JCA_NAMES = Map.of("md5", "MD5", "sha1", "SHA-1", "sha256", "SHA-256",
        "sha384", "SHA-384", "sha512", "SHA-512");

    private final String name;
    private final String jcaName;

    private BlockDigest(String name, String jcaName) {
        this.name = name;
        this.jcaName = jcaName;
    }

    /**
     * The digest called {@code name}.
     *
     * @throws IllegalArgumentException if it is not one of the supported names
     */
    public static BlockDigest of(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("crc32c")) {
            return new BlockDigest(key, null);
        }
        String jca = JCA_NAMES.get(key);
        if (jca == null) {
            throw new IllegalArgumentException("unsupported digest algorithm '" + name
                + "' (supported: crc32c, md5, sha1, sha256, sha384, sha512)");
        }
        return new BlockDigest(key, jca);
    }

    /** The algorithm's name as configured. */
    public String name() {
        return name;
    }

    /** The digest of {@code data}'s readable bytes (its indexes are not moved). */
    public byte[] digest(ByteBuf data) {
        ByteBuffer bytes = data.nioBuffer();
        if (jcaName == null) {
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            int value = (int) crc.getValue();
            return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        }
        try {
            MessageDigest digest = MessageDigest.getInstance(jcaName);
            digest.update(bytes);
            return digest.digest();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(jcaName + " is required of every JDK", impossible);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

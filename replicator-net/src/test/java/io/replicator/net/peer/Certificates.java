package io.replicator.net.peer;

import io.replicator.fixtures.RequiredTools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test certificates made with the openssl command, as TlsHandshakeTest makes them: a CA that signed node1 and node2,
 * and a rogue CA that signed "rogue". Without openssl the calling test is skipped (or fails, under
 * {@code replicator.requireTools}).
 */
final class Certificates {
    private final Path dir;

    private Certificates(Path dir) {
        this.dir = dir;
    }

    /** Makes the certificates in {@code dir}. */
    static Certificates make(Path dir) throws Exception {
        RequiredTools.require("openssl", "openssl");
        Certificates certificates = new Certificates(dir);
        Files.writeString(dir.resolve("leaf.ext"), "basicConstraints=CA:FALSE\n"
            + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n");
        certificates.authority("ca");
        certificates.authority("rogue-ca");
        certificates.leaf("node1", "ca");
        certificates.leaf("node2", "ca");
        certificates.leaf("rogue", "rogue-ca");
        return certificates;
    }

    /** The net options for TLS as {@code node}, trusting {@code ca}, plus {@code more} (key, value, ...). */
    String[] tls(String node, String ca, String... more) {
        List<String> options = new ArrayList<>(List.of("tls", "yes",
            "tls-certificate", dir.resolve(node + ".crt").toString(),
            "tls-privkey", dir.resolve(node + ".key").toString(),
            "tls-ca", dir.resolve(ca + ".crt").toString()));
        options.addAll(List.of(more));
        return options.toArray(String[]::new);
    }

    private void authority(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + name);
    }

    private void leaf(String name, String ca) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
            "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", "leaf.ext");
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", command, Files.readString(dir.resolve("openssl.log")))
            .isZero();
    }
}

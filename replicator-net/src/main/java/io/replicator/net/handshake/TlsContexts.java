package io.replicator.net.handshake;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.replicator.core.config.NetConfig;

import javax.net.ssl.SSLException;
import java.io.File;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Netty SslContexts for peer connections from {@code tls-certificate}, {@code tls-privkey} (PKCS#8 PEM) and
 * {@code tls-ca}. Authentication is mutual: the accepting side requires a client certificate, and both sides trust
 * only certificates signed by {@code tls-ca}. Peers are identified by the CA, not by host name (a peer address is an
 * IP from the config). TLS 1.3 and 1.2 only.
 */
public final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {
    }

    /** The context for accepted connections, empty when {@code tls} is off. */
    public static Optional<SslContext> server(NetConfig net) {
        if (!net.tls()) {
            return Optional.empty();
        }
        File ca = file(net.tlsCa(), "tls-ca");
        File certificate = file(net.tlsCertificate(), "tls-certificate");
        File key = file(net.tlsPrivkey(), "tls-privkey");
        return Optional.of(build(() -> SslContextBuilder.forServer(certificate, key).trustManager(ca)
            .clientAuth(ClientAuth.REQUIRE), net));
    }

    /** The context for connections this side makes, empty when {@code tls} is off. */
    public static Optional<SslContext> client(NetConfig net) {
        if (!net.tls()) {
            return Optional.empty();
        }
        File ca = file(net.tlsCa(), "tls-ca");
        File certificate = file(net.tlsCertificate(), "tls-certificate");
        File key = file(net.tlsPrivkey(), "tls-privkey");
        return Optional.of(build(() -> SslContextBuilder.forClient().keyManager(certificate, key).trustManager(ca)
            .endpointIdentificationAlgorithm(null), net));
    }

    private static SslContext build(Supplier<SslContextBuilder> builder, NetConfig net) {
        try {
            return builder.get().protocols(PROTOCOLS).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS from tls-certificate "
                + net.tlsCertificate().orElse("") + ", tls-privkey " + net.tlsPrivkey().orElse("") + ", tls-ca "
                + net.tlsCa().orElse("") + ": " + e.getMessage(), e);
        }
    }

    private static File file(Optional<String> path, String keyword) {
        if (path.isEmpty() || path.get().isEmpty()) {
            throw new IllegalArgumentException("tls yes needs " + keyword);
        }
        File file = new File(path.get());
        if (!file.canRead()) {
            throw new IllegalArgumentException(keyword + " " + path.get() + ": cannot read the file");
        }
        return file;
    }
}

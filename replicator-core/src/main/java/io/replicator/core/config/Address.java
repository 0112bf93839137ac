package io.replicator.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A network endpoint as written in the configuration: {@code [ipv4|ipv6] IP:PORT}, IPv6 in brackets
 * ({@code ipv6 [fd00::1]:7789}).
 *
 * @param family "ipv4" or "ipv6" (ipv4 when not written)
 * @param host   the IP address, without brackets
 * @param port   1..65535
 */
public record Address(String family, String host, int port) {
    /** The family written when none is given. */
    public static final String DEFAULT_FAMILY = "ipv4";

    /** {@link #parse}, empty where it would throw (for readers whose caller reports the error elsewhere). */
    public static Optional<Address> tryParse(List<String> words) {
        try {
            return Optional.of(parse(words));
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
    }

    /**
     * Parses the words of an {@code address} statement.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Address parse(List<String> words) {
        if (words.isEmpty() || words.size() > 2) {
            throw new IllegalArgumentException("expected [ipv4|ipv6] IP:PORT, but got '" + String.join(" ", words)
                + "'");
        }
        String family = words.size() == 2 ? words.get(0).toLowerCase(Locale.ROOT) : null;
        if (family != null && !family.equals("ipv4") && !family.equals("ipv6")) {
            throw new IllegalArgumentException("address family '" + words.get(0)
                + "' is not supported yet by replicator (allowed: ipv4, ipv6)");
        }
        String text = words.get(words.size() - 1);
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not IP:PORT");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
            throw new IllegalArgumentException("port '" + portText + "' in '" + text + "' is not in 1..65535");
        }
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
            if (!host.matches("[0-9A-Fa-f:.%a-z]+") || !host.contains(":")) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
            }
            if (family == null || family.equals("ipv4")) {
                if (family != null) {
                    throw new IllegalArgumentException("'" + text + "' is an IPv6 address; write 'ipv6 " + text + "'");
                }
                family = "ipv6";
            }
        } else {
            if (!isIpv4(host)) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv4 address"
                    + (host.contains(":") ? " (write IPv6 as ipv6 [ADDR]:PORT)" : ""));
            }
            if ("ipv6".equals(family)) {
                throw new IllegalArgumentException("'" + text + "' is an IPv4 address; IPv6 is written ipv6 [ADDR]:PORT");
            }
            family = DEFAULT_FAMILY;
        }
        return new Address(family, host, Integer.parseInt(portText));
    }

    private static boolean isIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** {@code IP:PORT}, with brackets for IPv6: the key of the "conflicting use" check. */
    public String endpoint() {
        return (family.equals("ipv6") ? "[" + host + "]" : host) + ":" + port;
    }

    /** As drbdadm dump writes it: {@code ipv4 10.0.0.1:7789}. */
    @Override
    public String toString() {
        return family + " " + endpoint();
    }
}

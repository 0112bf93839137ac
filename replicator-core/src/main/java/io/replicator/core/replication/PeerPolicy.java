package io.replicator.core.replication;

import io.replicator.core.config.NetConfig;
import io.replicator.core.config.Protocol;

/**
 * How the {@link TransferLog} treats one replicating peer, from the connection's {@code net { }} options.
 *
 * @param protocol            when a write counts as done at this peer
 * @param pullAhead           {@code on-congestion pull-ahead}: go Ahead instead of blocking
 * @param disconnectOnCongestion {@code on-congestion disconnect}
 * @param congestionFillBytes {@code congestion-fill}: unacknowledged bytes that count as congestion (0 = off)
 * @param koNanos             {@code timeout × ko-count}: a write unanswered this long drops the peer (0 = never)
 */
public record PeerPolicy(Protocol protocol, boolean pullAhead, boolean disconnectOnCongestion,
                         long congestionFillBytes, long koNanos) {
    /** The policy {@code net} describes. */
    public static PeerPolicy of(NetConfig net) {
        return new PeerPolicy(net.protocol(), "pull-ahead".equals(net.onCongestion()),
            "disconnect".equals(net.onCongestion()), net.congestionFillBytes(),
            net.koCount() * net.timeoutMs() * 1_000_000L);
    }

    /** Protocol {@code protocol} with every other option at its default. */
    public static PeerPolicy of(Protocol protocol) {
        return new PeerPolicy(protocol, false, false, 0, 0);
    }

    /** Whether congestion is watched at all (protocol A only, as DRBD). */
    boolean watchesCongestion() {
        return protocol == Protocol.A && congestionFillBytes > 0 && (pullAhead || disconnectOnCongestion);
    }
}

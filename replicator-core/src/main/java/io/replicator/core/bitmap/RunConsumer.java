package io.replicator.core.bitmap;

/** Receives one run of consecutive dirty blocks, {@code [startBlock, endBlockExclusive)}; never empty. */
@FunctionalInterface
public interface RunConsumer {
    void accept(long startBlock, long endBlockExclusive);
}

package io.replicator.net.protocol;

import io.netty.handler.codec.DecoderException;

/**
 * A data frame whose payload does not match its integrity digest. The frame itself was well-formed, so the stream
 * is still in step; DRBD's answer, and ours, is to disconnect and resync the block.
 */
public final class IntegrityException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final int volume;
    private final long sector;
    private final long blockId;

    public IntegrityException(int volume, long sector, long blockId, DigestKind kind) {
        super(kind + " digest mismatch in volume " + volume + " at sector " + sector + " (block id " + blockId + ")");
        this.volume = volume;
        this.sector = sector;
        this.blockId = blockId;
    }

    public int volume() {
        return volume;
    }

    public long sector() {
        return sector;
    }

    public long blockId() {
        return blockId;
    }
}

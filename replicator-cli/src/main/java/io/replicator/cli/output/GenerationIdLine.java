package io.replicator.cli.output;

import io.replicator.core.metadata.MetadataFlag;
import io.replicator.core.metadata.PeerFlag;

/**
 * The {@code get-gi} line of DRBD 9 (drbd.md §8): {@code CUR:BM:H1:H2:} as 16 upper-case hex digits each, then six
 * digits of the node's metadata flags and four of the peer slot's flags, each {@code 0} or {@code 1}:
 *
 * <pre>
 * CUR:BM:H1:H2:consistent:was-up-to-date:primary-ind:crashed-primary:al-clean:al-disabled
 *             :peer-connected:peer-outdated:peer-fencing:peer-full-sync
 * </pre>
 *
 * <p>e.g. {@code 8A3D6C0F1E2B4D5A:0000000000000000:51E7AC4B2F9D6E10:0000000000000000:1:1:1:0:1:0:1:0:0:0}.
 */
public final class GenerationIdLine {
    private GenerationIdLine() {
    }

    /**
     * Formats the ids of one volume toward one peer, without the newline.
     *
     * @param current the current generation id
     * @param bitmap the bitmap id of the peer's slot
     * @param history the history ids, newest first; the first two are printed, missing ones as zero
     * @param metadataFlags the node's {@link MetadataFlag} bits
     * @param peerFlags the peer slot's {@link PeerFlag} bits
     */
    public static String format(long current, long bitmap, long[] history, int metadataFlags, int peerFlags) {
        StringBuilder line = new StringBuilder().append(hex(current)).append(':').append(hex(bitmap)).append(':');
        for (int i = 0; i < 2; i++) {
            line.append(hex(i < history.length ? history[i] : 0)).append(':');
        }
        line.append(bit(metadataFlags, MetadataFlag.CONSISTENT.mask())).append(':')
            .append(bit(metadataFlags, MetadataFlag.WAS_UP_TO_DATE.mask())).append(':')
            .append(bit(metadataFlags, MetadataFlag.PRIMARY_IND.mask())).append(':')
            .append(bit(metadataFlags, MetadataFlag.CRASHED_PRIMARY.mask())).append(':')
            .append(bit(metadataFlags, MetadataFlag.AL_CLEAN.mask())).append(':')
            .append(bit(metadataFlags, MetadataFlag.AL_DISABLED.mask())).append(':')
            .append(bit(peerFlags, PeerFlag.CONNECTED.mask())).append(':')
            .append(bit(peerFlags, PeerFlag.OUTDATED.mask())).append(':')
            .append(bit(peerFlags, PeerFlag.FENCING.mask())).append(':')
            .append(bit(peerFlags, PeerFlag.FULL_SYNC.mask()));
        return line.toString();
    }

    private static String hex(long id) {
        return String.format("%016X", id);
    }

    private static int bit(int flags, int mask) {
        return (flags & mask) != 0 ? 1 : 0;
    }
}

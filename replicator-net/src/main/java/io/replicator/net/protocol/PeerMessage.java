package io.replicator.net.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

import java.util.Arrays;

/**
 * Every message two peers exchange. Control messages are small records; the hot data frame is {@link DataFrame}.
 * Connection-wide messages (barriers, pings, disconnect) travel with volume 0. Messages that hold a buffer
 * ({@link DataFrame}, {@link BitmapChunk}) are {@link ReferenceCounted}: whoever receives one releases it.
 */
public sealed interface PeerMessage permits PeerMessage.Barrier, PeerMessage.BarrierAck, PeerMessage.RecvAck,
    PeerMessage.WriteAck, PeerMessage.NegAck, PeerMessage.Ping, PeerMessage.PingAck, PeerMessage.Disconnect,
    PeerMessage.OutOfSync, PeerMessage.Sync, PeerMessage.BitmapChunk,
    PeerMessage.Uuids, PeerMessage.Sizes, PeerMessage.State, DataFrame {

    /** Most bitmap or history UUIDs a {@link Uuids} message carries, each. */
    int MAX_UUIDS = 32;

    MessageType type();

    /** The volume the message is about; 0 for connection-wide messages. */
    int volume();

    /** Closes the current epoch: writes sent before it belong to {@code epoch}. Connection-wide. */
    record Barrier(int epoch) implements PeerMessage {
        @Override
        public MessageType type() {
            return MessageType.BARRIER;
        }

        @Override
        public int volume() {
            return 0;
        }
    }

    /** Epoch {@code epoch}, of {@code setSize} writes, is on stable storage at the peer. Connection-wide. */
    record BarrierAck(int epoch, int setSize) implements PeerMessage {
        @Override
        public MessageType type() {
            return MessageType.BARRIER_ACK;
        }

        @Override
        public int volume() {
            return 0;
        }
    }

    /** Protocol B: the peer received the write. */
    record RecvAck(int volume, long sector, long blockId, int sizeBytes, int sequence) implements PeerMessage {
        public RecvAck {
            FrameDescriptor.checkVolume(volume);
        }

        @Override
        public MessageType type() {
            return MessageType.RECV_ACK;
        }
    }

    /** Protocol C: the peer wrote the block. */
    record WriteAck(int volume, long sector, long blockId, int sizeBytes, int sequence) implements PeerMessage {
        public WriteAck {
            FrameDescriptor.checkVolume(volume);
        }

        @Override
        public MessageType type() {
            return MessageType.WRITE_ACK;
        }
    }

    /** The peer's write failed: the block becomes out of sync. */
    record NegAck(int volume, long sector, long blockId, int sizeBytes, int sequence) implements PeerMessage {
        public NegAck {
            FrameDescriptor.checkVolume(volume);
        }

        @Override
        public MessageType type() {
            return MessageType.NEG_ACK;
        }
    }

    /** Keep-alive probe. */
    record Ping() implements PeerMessage {
        @Override
        public MessageType type() {
            return MessageType.PING;
        }

        @Override
        public int volume() {
            return 0;
        }
    }

    /** Answer to {@link Ping}. */
    record PingAck() implements PeerMessage {
        @Override
        public MessageType type() {
            return MessageType.PING_ACK;
        }

        @Override
        public int volume() {
            return 0;
        }
    }

    /** Graceful disconnect: the peer should not reconnect on its own. */
    record Disconnect() implements PeerMessage {
        @Override
        public MessageType type() {
            return MessageType.DISCONNECT;
        }

        @Override
        public int volume() {
            return 0;
        }
    }

    /** Ahead/behind: the range was written but not replicated; the peer marks it out of sync. */
    record OutOfSync(int volume, long sector, int sizeBytes) implements PeerMessage {
        public OutOfSync {
            FrameDescriptor.checkVolume(volume);
        }

        @Override
        public MessageType type() {
            return MessageType.OUT_OF_SYNC;
        }
    }

    /**
     * A resync or verify message ({@code io.replicator.core.replication.SyncMessage}): {@link MessageType#SYNC} on
     * the data stream, in order with the writes, or {@link MessageType#SYNC_REPLY} on the control stream. {@code kind}
     * is the core's wire code; {@code digest} is at most {@link #MAX_DIGEST_BYTES} long.
     */
    record Sync(MessageType type, int volume, int kind, long sector, int sizeBytes, long blockId, byte[] digest)
        implements PeerMessage {
        /** Longest digest field (one digest per 4 KiB block of a verify range). */
        public static final int MAX_DIGEST_BYTES = 4096;

        public Sync {
            FrameDescriptor.checkVolume(volume);
            if (type != MessageType.SYNC && type != MessageType.SYNC_REPLY) {
                throw new IllegalArgumentException("a sync message travels as SYNC or SYNC_REPLY, not " + type);
            }
            if (kind < 0 || kind > 0xFF || digest.length > MAX_DIGEST_BYTES) {
                throw new IllegalArgumentException("sync kind " + kind + " digest " + digest.length + " bytes");
            }
            digest = digest.clone();
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sync m && type == m.type && volume == m.volume && kind == m.kind
                && sector == m.sector && sizeBytes == m.sizeBytes && blockId == m.blockId
                && java.util.Arrays.equals(digest, m.digest);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(type, volume, kind, sector, sizeBytes, blockId)
                + java.util.Arrays.hashCode(digest);
        }

        @Override
        public String toString() {
            return "Sync[" + type + " volume=" + volume + " kind=" + kind + " sector=" + sector + " size="
                + sizeBytes + " id=" + blockId + " digest=" + digest.length + "B]";
        }
    }

    /**
     * One chunk of the connect-time bitmap exchange, in {@code BitmapRle} encoding, covering bits from
     * {@code fromBit}; {@code last} marks the final chunk. Owns one reference to {@code rle}.
     */
    record BitmapChunk(int volume, long fromBit, ByteBuf rle, boolean last) implements PeerMessage, ReferenceCounted {
        /** Largest {@code rle} a chunk carries. */
        public static final int MAX_RLE_BYTES = FrameDescriptor.MAX_DATA_BYTES;

        public BitmapChunk {
            FrameDescriptor.checkVolume(volume);
            if (rle.readableBytes() > MAX_RLE_BYTES) {
                throw new IllegalArgumentException("bitmap chunk of " + rle.readableBytes() + " bytes");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.BITMAP_CHUNK;
        }

        @Override
        public int refCnt() {
            return rle.refCnt();
        }

        @Override
        public BitmapChunk retain() {
            rle.retain();
            return this;
        }

        @Override
        public BitmapChunk retain(int increment) {
            rle.retain(increment);
            return this;
        }

        @Override
        public BitmapChunk touch() {
            rle.touch();
            return this;
        }

        @Override
        public BitmapChunk touch(Object hint) {
            rle.touch(hint);
            return this;
        }

        @Override
        public boolean release() {
            return rle.release();
        }

        @Override
        public boolean release(int decrement) {
            return rle.release(decrement);
        }
    }

    /** The generation identifiers of a volume (§4 of the DRBD notes). Arrays are compared by content. */
    record Uuids(int volume, long current, long[] bitmaps, long[] history, long flags) implements PeerMessage {
        public Uuids {
            FrameDescriptor.checkVolume(volume);
            if (bitmaps.length > MAX_UUIDS || history.length > MAX_UUIDS) {
                throw new IllegalArgumentException("more than " + MAX_UUIDS + " bitmap or history UUIDs");
            }
            bitmaps = bitmaps.clone();
            history = history.clone();
        }

        @Override
        public long[] bitmaps() {
            return bitmaps.clone();
        }

        @Override
        public long[] history() {
            return history.clone();
        }

        @Override
        public MessageType type() {
            return MessageType.UUIDS;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Uuids u && volume == u.volume && current == u.current && flags == u.flags
                && Arrays.equals(bitmaps, u.bitmaps) && Arrays.equals(history, u.history);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Long.hashCode(current) + Arrays.hashCode(bitmaps)) + Arrays.hashCode(history);
        }

        @Override
        public String toString() {
            return "Uuids[volume=" + volume + ", current=" + Long.toHexString(current) + ", bitmaps="
                + Arrays.toString(bitmaps) + ", history=" + Arrays.toString(history) + ", flags=" + flags + "]";
        }
    }

    /** Sizes of a volume: backing device, current (agreed) size, and largest write the sender accepts. */
    record Sizes(int volume, long backingBytes, long currentBytes, int maxBioBytes) implements PeerMessage {
        public Sizes {
            FrameDescriptor.checkVolume(volume);
        }

        @Override
        public MessageType type() {
            return MessageType.SIZES;
        }
    }

    /**
     * The sender's state of a volume: role and disk state as ordinals of the core enums, flag bits owned by the
     * connection layer, and {@code lastWrite}, the last write the sender applied from a Primary (that Primary's node
     * id + 1 in flag bits 0–7, 0 for none; the write's transfer-log id here).
     */
    record State(int volume, int role, int disk, int flags, long lastWrite) implements PeerMessage {
        /** A state without a last write. */
        public State(int volume, int role, int disk, int flags) {
            this(volume, role, disk, flags, 0);
        }

        public State {
            FrameDescriptor.checkVolume(volume);
            if (role < 0 || role > 0xFF || disk < 0 || disk > 0xFF) {
                throw new IllegalArgumentException("role " + role + " or disk " + disk + " outside [0, 255]");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.STATE;
        }
    }
}

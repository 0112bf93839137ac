package io.replicator.net.protocol;

/**
 * The type code of every frame, and the stream it travels on: {@link Stream#DATA} for writes, barriers, resync data
 * and connect-time exchanges, {@link Stream#CONTROL} for acks and pings, so that they never queue behind 1 MiB
 * writes. Codes follow DRBD's where there is one; the values are ours.
 */
public enum MessageType {
    DATA(0x00, Stream.DATA),
    RESYNC_DATA(0x02, Stream.DATA),
    BARRIER(0x03, Stream.DATA),
    BITMAP_CHUNK(0x04, Stream.DATA),
    SYNC(0x09, Stream.DATA),
    SIZES(0x0D, Stream.DATA),
    STATE(0x0E, Stream.DATA),
    PING(0x13, Stream.CONTROL),
    PING_ACK(0x14, Stream.CONTROL),
    RECV_ACK(0x15, Stream.CONTROL),
    WRITE_ACK(0x16, Stream.CONTROL),
    NEG_ACK(0x19, Stream.CONTROL),
    BARRIER_ACK(0x1C, Stream.CONTROL),
    SYNC_REPLY(0x22, Stream.CONTROL),
    OUT_OF_SYNC(0x28, Stream.DATA),
    UUIDS(0x42, Stream.DATA),
    DISCONNECT(0x4B, Stream.DATA);

    /** The two channels of a peer connection. */
    public enum Stream { DATA, CONTROL }

    private static final MessageType[] BY_CODE = new MessageType[0x100];

    static {
        for (MessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final Stream stream;

    MessageType(int code, Stream stream) {
        this.code = code;
        this.stream = stream;
    }

    public int code() {
        return code;
    }

    public Stream stream() {
        return stream;
    }

    /** Whether frames of this type carry block data (a {@link DataFrame}). */
    public boolean carriesData() {
        return this == DATA || this == RESYNC_DATA;
    }

    /** The type with this code, or {@code null} if there is none. */
    static MessageType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}

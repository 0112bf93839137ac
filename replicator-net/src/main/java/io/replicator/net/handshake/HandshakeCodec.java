package io.replicator.net.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.replicator.core.config.Protocol;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static io.replicator.net.handshake.HandshakeDescriptor.CHALLENGE_BYTES;
import static io.replicator.net.handshake.HandshakeDescriptor.FLAG_DISCARD_MY_DATA;
import static io.replicator.net.handshake.HandshakeDescriptor.FLAG_TWO_PRIMARIES;
import static io.replicator.net.handshake.HandshakeDescriptor.KIND_AUTH_CHALLENGE;
import static io.replicator.net.handshake.HandshakeDescriptor.KIND_AUTH_RESPONSE;
import static io.replicator.net.handshake.HandshakeDescriptor.KIND_FEATURES;
import static io.replicator.net.handshake.HandshakeDescriptor.KIND_REFUSAL;
import static io.replicator.net.handshake.HandshakeDescriptor.KIND_SETTINGS;
import static io.replicator.net.handshake.HandshakeDescriptor.LENGTH_BYTES;
import static io.replicator.net.handshake.HandshakeDescriptor.MAX_DIGEST_BYTES;
import static io.replicator.net.handshake.HandshakeDescriptor.MAX_FRAME_BYTES;
import static io.replicator.net.handshake.HandshakeDescriptor.MAX_REASON_BYTES;

/** Turns {@link HandshakeMessage}s into frames and frame bodies back into messages, per {@link HandshakeDescriptor}. */
final class HandshakeCodec {
    private HandshakeCodec() {
    }

    /** A whole frame, length prefix included. */
    static ByteBuf encode(ByteBufAllocator alloc, HandshakeMessage message) {
        ByteBuf out = alloc.buffer(128);
        out.writeInt(0);
        if (message instanceof HandshakeMessage.Features f) {
            out.writeByte(KIND_FEATURES).writeInt(f.protocolMin()).writeInt(f.protocolMax())
                .writeInt(f.featureFlags()).writeInt(f.senderNodeId()).writeInt(f.receiverNodeId());
            writeString(out, f.cramHmacAlg(), 255);
        } else if (message instanceof HandshakeMessage.AuthChallenge c) {
            out.writeByte(KIND_AUTH_CHALLENGE).writeBytes(c.challenge());
        } else if (message instanceof HandshakeMessage.AuthResponse r) {
            out.writeByte(KIND_AUTH_RESPONSE).writeBytes(r.digest());
        } else if (message instanceof HandshakeMessage.Settings s) {
            ConnectionSettings c = s.settings();
            out.writeByte(KIND_SETTINGS).writeByte(c.protocol().ordinal());
            writeString(out, c.afterSb0pri(), 255);
            writeString(out, c.afterSb1pri(), 255);
            writeString(out, c.afterSb2pri(), 255);
            out.writeByte((c.discardMyData() ? FLAG_DISCARD_MY_DATA : 0)
                | (c.allowTwoPrimaries() ? FLAG_TWO_PRIMARIES : 0));
            writeString(out, c.dataIntegrityAlg().orElse(""), 255);
            writeString(out, c.compression(), 255);
        } else if (message instanceof HandshakeMessage.Refusal r) {
            out.writeByte(KIND_REFUSAL).writeByte(r.retryable() ? 1 : 0);
            writeString(out, r.reason(), MAX_REASON_BYTES);
        }
        out.setInt(0, out.readableBytes() - LENGTH_BYTES);
        return out;
    }

    /** The message in {@code frame} (kind and body, no length prefix); reads all of it. */
    static HandshakeMessage decode(ByteBuf frame) throws MalformedHandshakeException {
        if (frame.readableBytes() < 1 || frame.readableBytes() > MAX_FRAME_BYTES) {
            throw new MalformedHandshakeException("handshake frame of " + frame.readableBytes() + " bytes");
        }
        int kind = frame.readUnsignedByte();
        HandshakeMessage message = switch (kind) {
            case KIND_FEATURES -> {
                need(frame, 5 * Integer.BYTES, "features");
                yield new HandshakeMessage.Features(frame.readInt(), frame.readInt(), frame.readInt(),
                    frame.readInt(), frame.readInt(), readString(frame, "cram-hmac-alg"));
            }
            case KIND_AUTH_CHALLENGE -> {
                if (frame.readableBytes() != CHALLENGE_BYTES) {
                    throw new MalformedHandshakeException("auth challenge of " + frame.readableBytes()
                        + " bytes, expected " + CHALLENGE_BYTES);
                }
                yield new HandshakeMessage.AuthChallenge(bytes(frame, CHALLENGE_BYTES));
            }
            case KIND_AUTH_RESPONSE -> {
                int n = frame.readableBytes();
                if (n < 1 || n > MAX_DIGEST_BYTES) {
                    throw new MalformedHandshakeException("auth response of " + n + " bytes");
                }
                yield new HandshakeMessage.AuthResponse(bytes(frame, n));
            }
            case KIND_SETTINGS -> {
                need(frame, 1, "settings");
                int protocol = frame.readUnsignedByte();
                if (protocol >= Protocol.values().length) {
                    throw new MalformedHandshakeException("unknown replication protocol " + protocol);
                }
                String sb0 = readString(frame, "after-sb-0pri");
                String sb1 = readString(frame, "after-sb-1pri");
                String sb2 = readString(frame, "after-sb-2pri");
                need(frame, 1, "settings flags");
                int flags = frame.readUnsignedByte();
                String integrity = readString(frame, "data-integrity-alg");
                String compression = readString(frame, "compression");
                yield new HandshakeMessage.Settings(new ConnectionSettings(Protocol.values()[protocol], sb0, sb1,
                    sb2, (flags & FLAG_TWO_PRIMARIES) != 0,
                    integrity.isEmpty() ? Optional.empty() : Optional.of(integrity),
                    (flags & FLAG_DISCARD_MY_DATA) != 0, compression));
            }
            case KIND_REFUSAL -> {
                need(frame, 1, "refusal");
                boolean retryable = frame.readUnsignedByte() != 0;
                yield new HandshakeMessage.Refusal(readString(frame, "reason"), retryable);
            }
            default -> throw new MalformedHandshakeException("unknown handshake message kind " + kind);
        };
        if (frame.isReadable()) {
            throw new MalformedHandshakeException(frame.readableBytes() + " trailing bytes after message kind "
                + kind);
        }
        return message;
    }

    private static void writeString(ByteBuf out, String value, int maxBytes) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, maxBytes);
        if (maxBytes > 255) {
            out.writeShort(length);
        } else {
            out.writeByte(length);
        }
        out.writeBytes(bytes, 0, length);
    }

    private static String readString(ByteBuf in, String what) throws MalformedHandshakeException {
        boolean wide = what.equals("reason");
        need(in, wide ? 2 : 1, what);
        int length = wide ? in.readUnsignedShort() : in.readUnsignedByte();
        need(in, length, what);
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    private static byte[] bytes(ByteBuf in, int n) {
        byte[] out = new byte[n];
        in.readBytes(out);
        return out;
    }

    private static void need(ByteBuf in, int bytes, String what) throws MalformedHandshakeException {
        if (in.readableBytes() < bytes) {
            throw new MalformedHandshakeException("truncated " + what);
        }
    }
}

package io.replicator.net.peer;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.replicator.net.handshake.HandshakeCompleted;
import io.replicator.net.protocol.MessageType;
import io.replicator.net.protocol.PeerMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * One attempt at a session: the data and control channels that share a preamble nonce, from the first connection
 * until the session ends. Owned by its {@link PeerLink} and touched only on the link's event loop.
 *
 * <p>Invariants: at most one pairing per link is current; a pairing becomes a {@link PeerSession} exactly when both
 * channels have completed the handshake; once {@link #ended} nothing of it is used again (late events from its
 * channels are dropped by identity).
 */
final class Pairing {
    /** The link's start generation this attempt belongs to. */
    final int epoch;
    /** The preamble nonce shared by both channels. */
    final long nonce;
    /** Index of the path this attempt uses. */
    final int pathIndex;
    Channel data;
    Channel control;
    /**
     * Accepted channels still moving to the link's loop ({@code PreambleHandler.handOver}): not closed from here
     * while in transit (a close queued on the old loop would run there after the move); the link closes them when
     * they arrive if the pairing ended meanwhile.
     */
    boolean dataMoving;
    boolean controlMoving;
    HandshakeCompleted dataHandshake;
    HandshakeCompleted controlHandshake;
    /** Tears the pairing down if it stays half up (one channel through the handshake) for too long. */
    ScheduledFuture<?> halfUpTimer;
    /** Set once both channels are up. */
    PeerSession session;
    boolean ended;
    /** Messages that arrived on a channel before the other one was up; delivered right after connected. */
    private final List<PeerMessage> early = new ArrayList<>();

    Pairing(int epoch, long nonce, int pathIndex) {
        this.epoch = epoch;
        this.nonce = nonce;
        this.pathIndex = pathIndex;
    }

    Channel channel(MessageType.Stream stream) {
        return stream == MessageType.Stream.DATA ? data : control;
    }

    void handshakeCompleted(MessageType.Stream stream, HandshakeCompleted event) {
        if (stream == MessageType.Stream.DATA) {
            dataHandshake = event;
        } else {
            controlHandshake = event;
        }
    }

    boolean bothUp() {
        return dataHandshake != null && controlHandshake != null;
    }

    boolean halfUp() {
        return dataHandshake != null || controlHandshake != null;
    }

    void holdEarly(PeerMessage message) {
        early.add(message);
    }

    /** The held messages, in arrival order; the caller owns them. */
    List<PeerMessage> takeEarly() {
        List<PeerMessage> taken = new ArrayList<>(early);
        early.clear();
        return taken;
    }

    /** Marks the attempt over: cancels its timer and releases held messages. Idempotent. */
    void end() {
        ended = true;
        if (halfUpTimer != null) {
            halfUpTimer.cancel(false);
        }
        for (PeerMessage message : early) {
            ReferenceCountUtil.release(message);
        }
        early.clear();
    }

    /** Closes both channels (those that exist). Idempotent. */
    void closeChannels() {
        if (data != null && !dataMoving) {
            data.close();
        }
        if (control != null && !controlMoving) {
            control.close();
        }
    }

    /** Marks {@code stream}'s channel as moving to the link's loop, or as arrived. */
    void moving(MessageType.Stream stream, boolean moving) {
        if (stream == MessageType.Stream.DATA) {
            dataMoving = moving;
        } else {
            controlMoving = moving;
        }
    }
}

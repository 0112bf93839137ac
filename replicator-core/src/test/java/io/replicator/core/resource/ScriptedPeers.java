package io.replicator.core.resource;

import io.netty.buffer.ByteBuf;
import io.replicator.core.bitmap.DirtyBitmap;
import io.replicator.core.config.ConnectionConfig;
import io.replicator.core.config.HostConfig;
import io.replicator.core.generation.GenerationIds;
import io.replicator.core.replication.PeerEvents;
import io.replicator.core.replication.PeerLinkHandle;
import io.replicator.core.replication.PeerNetwork;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.ReplicaTarget;
import io.replicator.core.replication.SyncMessage;
import io.replicator.core.replication.VolumeReport;
import io.replicator.core.replication.WriteRequest;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PeerNetwork} whose peers are scripted by the test: {@link #connectAsTwin} plays a peer that holds the
 * same generation as the conductor (a no-sync handshake, then replication), {@link #lose} cuts it. What the
 * conductor sends is recorded per peer; nothing is acknowledged, so every write stays in flight until the test
 * cuts the link.
 */
final class ScriptedPeers implements PeerNetwork {
    private final Map<String, PeerEvents> events = new ConcurrentHashMap<>();
    private final Map<String, Sender> senders = new ConcurrentHashMap<>();

    @Override
    public PeerLinkHandle open(String resource, ConnectionConfig connection, HostConfig local, HostConfig peer,
                               PeerEvents peerEvents) {
        events.put(peer.name(), peerEvents);
        return new PeerLinkHandle() {
            @Override
            public void start(boolean discardMyData) {
            }

            @Override
            public void stop() {
            }
        };
    }

    /**
     * Connects {@code peer} (a new session, replacing the current one if any), which answers every report of the conductor with the same current id, an empty bitmap
     * toward it, UpToDate data and the Secondary role: the handshake decides no-sync and the peer replicates.
     * Returns the session's sender.
     */
    PeerSender connectAsTwin(String peer) {
        return connectReporting(peer, ours -> twinReport(ours, Role.SECONDARY, DiskState.UP_TO_DATE));
    }

    /** Connects {@code peer}, which answers each report of the conductor with {@code answer} of it. */
    PeerSender connectReporting(String peer, java.util.function.UnaryOperator<VolumeReport> answer) {
        PeerEvents peerEvents = events.get(peer);
        Sender sender = new Sender(peerEvents);
        senders.put(peer, sender);
        peerEvents.connected(sender);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sender.reports.isEmpty()) { // the conductor reports from its own thread
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the conductor sent " + peer + " no report");
            }
            Thread.onSpinWait();
        }
        for (VolumeReport ours : List.copyOf(sender.reports)) {
            peerEvents.report(answer.apply(ours));
        }
        return sender;
    }

    /** {@code peer}, connected as a twin, becomes Primary; returns where its replicated writes are applied here. */
    ReplicaTarget primaryTwin(String peer) {
        reportAgain(peer, Role.PRIMARY, DiskState.UP_TO_DATE);
        return events(peer).replicaTarget().orElseThrow();
    }

    /** Waits up to 10 s for {@code condition}, which the conductor's own thread makes true; fails naming {@code what}. */
    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** {@code peer}, connected as a twin, reports a new role and disk state (same generation as ours). */
    void reportAgain(String peer, Role role, DiskState disk) {
        VolumeReport ours = senders.get(peer).reports.get(0);
        events.get(peer).report(twinReport(ours, role, disk));
    }

    static VolumeReport twinReport(VolumeReport ours, Role role, DiskState disk) {
        GenerationIds same = GenerationIds.of(GenerationIds.mask(ours.ids().current()),
            new long[ours.ids().peerSlots()]);
        return new VolumeReport(ours.volume(), same, 0, ours.dataBytes(), role, disk, false, false, 0, false, false,
            false, io.replicator.core.generation.LastWrite.NONE, false, false, false);
    }

    /** Why the conductor closed {@code peer}'s current session, in order. */
    List<String> closesOf(String peer) {
        return senders.get(peer).closes;
    }

    /** The out-of-sync notices sent to {@code peer}, as offsets. */
    List<Long> outOfSyncTo(String peer) {
        return senders.get(peer).outOfSync;
    }

    /** The link to {@code peer} breaks (the peer crashed or the network cut it). */
    void lose(String peer, String reason) {
        lose(peer, senders.remove(peer), reason);
    }

    /** The session {@code session} of {@code peer} ends (a newer one may be up already). */
    void lose(String peer, PeerSender session, String reason) {
        events.get(peer).disconnected(session, reason);
    }

    /** What {@code peer}'s link reports to the conductor: the test plays the link. */
    PeerEvents events(String peer) {
        return events.get(peer);
    }

    /** The reports sent to {@code peer} since it connected. */
    List<VolumeReport> reportsTo(String peer) {
        return senders.get(peer).reports;
    }

    /** The sync messages sent to {@code peer} since it connected. */
    List<SyncMessage> syncsTo(String peer) {
        return senders.get(peer).syncs;
    }

    /** The writes sent to {@code peer} since it connected. */
    List<WriteRequest> writesTo(String peer) {
        return senders.get(peer).writes;
    }

    /** A scripted peer's session: records what the conductor sends; agrees to every promotion it is asked about. */
    private static final class Sender implements PeerSender {
        final PeerEvents peer;
        final List<VolumeReport> reports = new CopyOnWriteArrayList<>();
        final List<WriteRequest> writes = new ArrayList<>();
        final List<SyncMessage> syncs = new CopyOnWriteArrayList<>();
        final List<Long> outOfSync = new CopyOnWriteArrayList<>();
        final List<String> closes = new CopyOnWriteArrayList<>();

        Sender(PeerEvents peer) {
            this.peer = peer;
        }

        @Override
        public void sendReport(VolumeReport report) {
            reports.add(report);
        }

        @Override
        public synchronized void sendWrite(WriteRequest request, int dpFlags, Runnable handedOver) {
            writes.add(request);
        }

        @Override
        public void sendBarrier(int epoch) {
        }

        @Override
        public void sendOutOfSync(int volume, long offset, long length) {
            outOfSync.add(offset);
        }

        @Override
        public void sendBitmap(int volume, DirtyBitmap bitmap) {
        }

        @Override
        public void sendSync(SyncMessage message) {
            if (message.kind() == SyncMessage.Kind.PROMOTE_REQUEST) {
                peer.sync(SyncMessage.of(SyncMessage.Kind.PROMOTE_REPLY, message.volume(), PromotionVote.YES, 0,
                    message.id()));
                return;
            }
            if (message.kind() == SyncMessage.Kind.PROMOTE_DONE) {
                return;
            }
            syncs.add(message);
        }

        @Override
        public void sendResyncData(int volume, long offset, long id, ByteBuf data) {
        }

        @Override
        public void close(String reason) {
            closes.add(reason);
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }

        @Override
        public String localAddress() {
            return "127.0.0.1:2";
        }
    }
}

package io.replicator.core.resource;

import static io.replicator.core.resource.ResourceState.slotOf;

import io.replicator.core.replication.DpFlags;
import io.replicator.core.replication.PeerSender;
import io.replicator.core.replication.ReplicationOutbox;
import io.replicator.core.replication.WriteRequest;
import io.replicator.core.resync.ResyncTargetJob;

/**
 * The transfer log's actions carried out: frames to the peers' senders, out-of-sync marks into the local bitmaps,
 * dropping a congested peer, Ahead on and off. Called under the transfer log's lock from whichever thread submits or
 * acknowledges a write, so nothing here blocks.
 */
final class TransferLogOutbox implements ReplicationOutbox {
    private final ResourceState state;

    TransferLogOutbox(ResourceState state) {
        this.state = state;
    }

    @Override
    public void sendWrite(int peer, WriteRequest request, int dpFlags) {
        PeerRuntime runtime = state.peersByNode[peer];
        if (runtime != null && !runtime.syncs.isEmpty()) {
            VolumeSync sync = runtime.syncs.get(request.volume());
            ResyncTargetJob job = sync == null ? null : sync.target;
            if (job != null) {
                job.applicationWrite(request.offset(), request.length());
            }
        }
        PeerSender sender = senderOf(peer);
        if (sender != null) {
            boolean protocolA = (dpFlags & (DpFlags.SEND_RECEIVE_ACK | DpFlags.SEND_WRITE_ACK)) == 0;
            // Only protocol A completes on the hand-over; for B and C the callback would only cost a lock.
            sender.sendWrite(request, dpFlags,
                protocolA ? () -> state.transferLog.handedOver(peer, request.id()) : null);
        }
    }

    @Override
    public void sendBarrier(int peer, int epoch) {
        PeerSender sender = senderOf(peer);
        if (sender != null) {
            sender.sendBarrier(epoch);
        }
    }

    @Override
    public void sendOutOfSync(int peer, int volume, long offset, long length) {
        PeerSender sender = senderOf(peer);
        if (sender != null) {
            sender.sendOutOfSync(volume, offset, length);
        }
    }

    @Override
    public void markOutOfSync(int peer, int volume, long offset, long length) {
        state.volume(volume).flatMap(VolumeRuntime::disk).ifPresent(disk -> {
            int slot = slotOf(disk, peer);
            if (slot >= 0) {
                disk.markOutOfSync(slot, offset, length);
            }
        });
    }

    @Override
    public void dropPeer(int peer, String reason) {
        PeerSender sender = senderOf(peer);
        if (sender != null) {
            sender.close(reason);
        }
    }

    @Override
    public void aheadChanged(int peer, boolean ahead) {
        PeerRuntime runtime = state.peersByNode[peer];
        if (runtime != null) {
            runtime.ahead = ahead;
        }
    }

    private PeerSender senderOf(int peer) {
        PeerRuntime runtime = state.peersByNode[peer];
        return runtime == null ? null : runtime.sender;
    }
}

package io.replicator.cli.output;

import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.PathStatus;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ResourceStatus;
import java.util.Objects;

/** The {@code key:val} groups of each events2 object: identifying keys, and state keys in DRBD's order. */
final class EventKeys {
    private EventKeys() {
    }

    /** {@code resource name:R role:... suspended:... force-io-failures:... may_promote:... promotion_score:...}. */
    static String resource(ResourceStatus r) {
        return "resource name:" + r.name() + " role:" + r.role().drbdName() + " suspended:"
            + DrbdWords.listOrNo(r.suspended()) + " force-io-failures:" + DrbdWords.yesNo(r.forceIoFailures())
            + promotion(r);
    }

    /** The changed state keys of a resource, each with a leading blank; empty if nothing changed. */
    static String resourceChange(ResourceStatus old, ResourceStatus now) {
        StringBuilder keys = new StringBuilder();
        if (old.role() != now.role()) {
            keys.append(" role:").append(now.role().drbdName());
        }
        if (!old.suspended().equals(now.suspended())) {
            keys.append(" suspended:").append(DrbdWords.listOrNo(now.suspended()));
        }
        if (old.forceIoFailures() != now.forceIoFailures()) {
            keys.append(" force-io-failures:").append(DrbdWords.yesNo(now.forceIoFailures()));
        }
        if (old.mayPromote() != now.mayPromote() || old.promotionScore() != now.promotionScore()) {
            keys.append(promotion(now));
        }
        return keys.toString();
    }

    private static String promotion(ResourceStatus r) {
        return " may_promote:" + DrbdWords.yesNo(r.mayPromote()) + " promotion_score:" + r.promotionScore();
    }

    static String deviceId(ResourceStatus r, DeviceStatus d) {
        return "device name:" + r.name() + " volume:" + d.volume() + " minor:" + d.minor();
    }

    static String deviceDestroyId(ResourceStatus r, DeviceStatus d) {
        return "device name:" + r.name() + " volume:" + d.volume();
    }

    static String deviceState(DeviceStatus d) {
        return " backing_dev:" + d.backingDev() + " disk:" + d.disk().drbdName() + " client:"
            + DrbdWords.yesNo(d.client()) + " open:" + DrbdWords.yesNo(d.open()) + " quorum:"
            + DrbdWords.yesNo(d.quorum());
    }

    static boolean deviceChanged(DeviceStatus old, DeviceStatus now) {
        return old.disk() != now.disk() || old.quorum() != now.quorum() || old.open() != now.open()
            || old.client() != now.client() || !old.backingDev().equals(now.backingDev());
    }

    static String connectionId(ResourceStatus r, ConnectionStatus c) {
        return "connection name:" + r.name() + " peer-node-id:" + c.peerNodeId() + " conn-name:" + c.peerName();
    }

    static String connectionState(ConnectionStatus c, boolean state, boolean role) {
        return (state ? " connection:" + c.connection().drbdName() : "")
            + (role ? " role:" + c.peerRole().drbdName() : "");
    }

    static String peerDeviceId(ResourceStatus r, ConnectionStatus c, PeerDeviceStatus p) {
        return "peer-device name:" + r.name() + " peer-node-id:" + c.peerNodeId() + " conn-name:" + c.peerName()
            + " volume:" + p.volume();
    }

    /**
     * The state keys of a peer device that differ from {@code old} (all of them when {@code old} is null), each with
     * a leading blank, followed by {@code done:} when anything is printed and a resync or verify runs.
     */
    static String peerDeviceState(PeerDeviceStatus old, PeerDeviceStatus now) {
        StringBuilder keys = new StringBuilder();
        if (old == null || old.replication() != now.replication()) {
            keys.append(" replication:").append(now.replication().drbdName());
        }
        if (old == null || old.peerDisk() != now.peerDisk() || old.peerClient() != now.peerClient()) {
            keys.append(" peer-disk:").append(now.peerDisk().drbdName()).append(" peer-client:")
                .append(DrbdWords.yesNo(now.peerClient()));
        }
        if (old == null || !old.resyncSuspended().equals(now.resyncSuspended())) {
            keys.append(" resync-suspended:").append(DrbdWords.listOrNo(now.resyncSuspended()));
        }
        boolean progressed = old != null && !Objects.equals(old.donePercent(), now.donePercent());
        if (keys.length() > 0 || progressed) {
            now.donePercent().ifPresent(done -> keys.append(" done:").append(DrbdWords.twoDecimals(done)));
        }
        return keys.toString();
    }

    static String pathId(ResourceStatus r, ConnectionStatus c, PathStatus p) {
        return "path name:" + r.name() + " peer-node-id:" + c.peerNodeId() + " conn-name:" + c.peerName()
            + " local:" + p.local() + " peer:" + p.peer();
    }

    static String pathState(PathStatus p) {
        return " established:" + DrbdWords.yesNo(p.established());
    }
}

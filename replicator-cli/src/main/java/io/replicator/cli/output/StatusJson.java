package io.replicator.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatistics;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ResourceStatus;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;

/**
 * Prints resources as {@code drbdsetup status --json} does: an array of resources with DRBD's key names
 * ({@code disk-state}, {@code peer-node-id}, {@code peer_devices}, {@code percent-in-sync}, ...) and the counters
 * always included; during a resync or verify also {@code db1/dt1 [MiB/s]} and {@code estimated-seconds-to-finish}
 * (987654321 when unknown, as drbdsetup). Keys that the model has no value for ({@code write-ordering}) are left out; {@code open} is added
 * to each device.
 */
public final class StatusJson {
    /** The short-term resync rate, MiB/s with two decimals, as drbdsetup names it. */
    static final String RATE_KEY = "db1/dt1 [MiB/s]";
    /** The estimated time to finish, seconds. */
    static final String ETA_KEY = "estimated-seconds-to-finish";
    /** What drbdsetup prints for {@link #ETA_KEY} when no data moved yet, so the ETA is unknown. */
    static final long UNKNOWN_ETA = 987_654_321L;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusJson() {
    }

    /** The JSON array for {@code resources}, sorted by name, newline-terminated. */
    public static String format(List<ResourceStatus> resources) {
        ArrayNode array = MAPPER.createArrayNode();
        resources.stream().sorted(Comparator.comparing(ResourceStatus::name)).forEach(r -> array.add(resource(r)));
        try {
            return MAPPER.writeValueAsString(array) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode resource(ResourceStatus resource) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", resource.name());
        node.put("node-id", resource.nodeId());
        node.put("role", resource.role().drbdName());
        node.put("suspended", resource.isSuspended());
        ArrayNode devices = node.putArray("devices");
        resource.devices().forEach(d -> devices.add(device(d)));
        ArrayNode connections = node.putArray("connections");
        resource.connections().stream().sorted(Comparator.comparing(ConnectionStatus::peerName))
            .forEach(c -> connections.add(connection(resource, c)));
        return node;
    }

    private static ObjectNode device(DeviceStatus device) {
        DeviceStatistics s = device.statistics();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("volume", device.volume());
        node.put("minor", device.minor());
        node.put("disk-state", device.disk().drbdName());
        node.put("client", device.client());
        node.put("quorum", device.quorum());
        node.put("open", device.open());
        node.put("size", s.sizeKiB());
        node.put("read", s.readKiB());
        node.put("written", s.writtenKiB());
        node.put("al-writes", s.alWrites());
        node.put("bm-writes", s.bmWrites());
        node.put("upper-pending", s.upperPending());
        node.put("lower-pending", s.lowerPending());
        return node;
    }

    private static ObjectNode connection(ResourceStatus resource, ConnectionStatus connection) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("peer-node-id", connection.peerNodeId());
        node.put("name", connection.peerName());
        node.put("connection-state", connection.connection().drbdName());
        node.put("congested", connection.congested());
        node.put("peer-role", connection.peerRole().drbdName());
        node.put("ap-in-flight", connection.statistics().apInFlightKiB());
        node.put("rs-in-flight", connection.statistics().rsInFlightKiB());
        ArrayNode peerDevices = node.putArray("peer_devices");
        for (PeerDeviceStatus peerDevice : connection.peerDevices()) {
            long sizeKiB = resource.devices().stream().filter(d -> d.volume() == peerDevice.volume()).findFirst()
                .map(d -> d.statistics().sizeKiB()).orElse(0L);
            peerDevices.add(peerDevice(peerDevice, sizeKiB));
        }
        return node;
    }

    private static ObjectNode peerDevice(PeerDeviceStatus peerDevice, long sizeKiB) {
        PeerDeviceStatistics s = peerDevice.statistics();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("volume", peerDevice.volume());
        node.put("replication-state", peerDevice.replication().drbdName());
        node.put("peer-disk-state", peerDevice.peerDisk().drbdName());
        node.put("peer-client", peerDevice.peerClient());
        node.put("resync-suspended", DrbdWords.listOrNo(peerDevice.resyncSuspended()));
        node.put("received", s.receivedKiB());
        node.put("sent", s.sentKiB());
        node.put("out-of-sync", s.outOfSyncKiB());
        node.put("pending", s.pending());
        node.put("unacked", s.unacked());
        node.put("has-sync-details", s.hasSyncDetails());
        node.put("has-online-verify-details", s.hasOnlineVerifyDetails());
        double inSync = sizeKiB == 0 ? 0 : 100.0 * (1 - (double) s.outOfSyncKiB() / sizeKiB);
        node.put("percent-in-sync", twoDecimals(inSync));
        if (s.hasSyncDetails() || s.hasOnlineVerifyDetails()) {
            node.put(RATE_KEY, twoDecimals(peerDevice.rateKiBPerSec().orElse(0) / 1024.0));
            node.put(ETA_KEY, peerDevice.etaSeconds().orElse(UNKNOWN_ETA));
        }
        peerDevice.donePercent().ifPresent(done -> node.put("percent-resync-done", twoDecimals(done)));
        return node;
    }

    private static BigDecimal twoDecimals(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
    }
}

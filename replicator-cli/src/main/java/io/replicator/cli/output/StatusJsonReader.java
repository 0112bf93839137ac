package io.replicator.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replicator.core.state.ConnectionState;
import io.replicator.core.state.ConnectionStatistics;
import io.replicator.core.state.ConnectionStatus;
import io.replicator.core.state.DeviceStatistics;
import io.replicator.core.state.DeviceStatus;
import io.replicator.core.state.DiskState;
import io.replicator.core.state.PeerDeviceStatistics;
import io.replicator.core.state.PeerDeviceStatus;
import io.replicator.core.state.ReplicationState;
import io.replicator.core.state.ResourceStatus;
import io.replicator.core.state.Role;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reads back what {@link StatusJson} prints, so that a client ({@code wait-connect}, {@code wait-sync}) can follow
 * the daemon's state. The JSON does not carry everything: the reasons for a suspension (read as {@code unknown}),
 * the backing device (read as empty), paths, and the promotion facts are left out, and the rate has two decimals of
 * MiB/s (0.00 reads as unknown).
 */
public final class StatusJsonReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJsonReader() {
    }

    /**
     * The resources in {@code json}.
     *
     * @throws IllegalArgumentException when it is not the output of {@code status --json}
     */
    public static List<ResourceStatus> parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException garbled) {
            throw new IllegalArgumentException("status --json: not JSON: " + garbled.getOriginalMessage(), garbled);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("status --json: expected an array of resources");
        }
        List<ResourceStatus> resources = new ArrayList<>();
        root.forEach(r -> resources.add(resource(r)));
        return resources;
    }

    private static ResourceStatus resource(JsonNode node) {
        List<DeviceStatus> devices = new ArrayList<>();
        node.path("devices").forEach(d -> devices.add(device(d)));
        List<ConnectionStatus> connections = new ArrayList<>();
        node.path("connections").forEach(c -> connections.add(connection(c)));
        return new ResourceStatus(text(node, "name"), node.path("node-id").asInt(), Role.parse(text(node, "role")),
            node.path("suspended").asBoolean() ? List.of("unknown") : List.of(), false, false, 0, devices,
            connections);
    }

    private static DeviceStatus device(JsonNode node) {
        DeviceStatistics statistics = new DeviceStatistics(node.path("size").asLong(), node.path("read").asLong(),
            node.path("written").asLong(), node.path("al-writes").asLong(), node.path("bm-writes").asLong(),
            node.path("upper-pending").asLong(), node.path("lower-pending").asLong(), false);
        return new DeviceStatus(node.path("volume").asInt(), node.path("minor").asInt(),
            DiskState.parse(text(node, "disk-state")), node.path("client").asBoolean(), node.path("open").asBoolean(),
            node.path("quorum").asBoolean(true), "", statistics);
    }

    private static ConnectionStatus connection(JsonNode node) {
        List<PeerDeviceStatus> peerDevices = new ArrayList<>();
        node.path("peer_devices").forEach(p -> peerDevices.add(peerDevice(p)));
        return new ConnectionStatus(node.path("peer-node-id").asInt(), text(node, "name"),
            ConnectionState.parse(text(node, "connection-state")), Role.parse(text(node, "peer-role")),
            node.path("congested").asBoolean(), peerDevices, List.of(),
            new ConnectionStatistics(node.path("ap-in-flight").asLong(), node.path("rs-in-flight").asLong()));
    }

    private static PeerDeviceStatus peerDevice(JsonNode node) {
        PeerDeviceStatistics statistics = new PeerDeviceStatistics(node.path("received").asLong(),
            node.path("sent").asLong(), node.path("out-of-sync").asLong(), node.path("pending").asLong(),
            node.path("unacked").asLong(), node.path("has-sync-details").asBoolean(),
            node.path("has-online-verify-details").asBoolean());
        String suspended = node.path("resync-suspended").asText("no");
        OptionalDouble done = node.has("percent-resync-done")
            ? OptionalDouble.of(node.get("percent-resync-done").asDouble()) : OptionalDouble.empty();
        long rateKiB = Math.round(node.path(StatusJson.RATE_KEY).asDouble() * 1024);
        OptionalLong rate = rateKiB > 0 ? OptionalLong.of(rateKiB) : OptionalLong.empty();
        long eta = node.path(StatusJson.ETA_KEY).asLong(StatusJson.UNKNOWN_ETA);
        return new PeerDeviceStatus(node.path("volume").asInt(),
            ReplicationState.parse(text(node, "replication-state")), DiskState.parse(text(node, "peer-disk-state")),
            node.path("peer-client").asBoolean(), done,
            suspended.equals("no") ? List.of() : Arrays.asList(suspended.split(",")),
            eta == StatusJson.UNKNOWN_ETA ? OptionalLong.empty() : OptionalLong.of(eta), rate, statistics);
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("status --json: '" + key + "' is missing");
        }
        return value.asText();
    }
}

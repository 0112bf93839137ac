package io.replicator.core.resource;

import io.replicator.core.config.HostConfig;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.state.ConnectionState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the configured handlers ({@code handlers { NAME "command"; }}) with DRBD's environment: the resource, volume,
 * minor, backing device, this node's and (when one peer is meant) the peer's id, name, address and family, and the
 * connection state. Handlers are started through the {@link HandlerInvoker} and never waited for here.
 */
final class HandlerEnvironment {
    private final ResourceState state;
    private final ResourceConfig config;
    private final HostConfig self;
    private final HandlerInvoker handlers;
    private final Map<String, PeerRuntime> peers;

    HandlerEnvironment(ResourceState state) {
        this.state = state;
        this.config = state.config;
        this.self = state.self;
        this.handlers = state.handlers;
        this.peers = state.peers;
    }

    void runHandler(String name, VolumeRuntime volume) {
        config.handler(name).ifPresent(command -> handlers.invoke(name, command, environment(volume)));
    }

    /** DRBD's handler environment for {@code volume}. */
    Map<String, String> environment(VolumeRuntime volume) {
        Map<String, String> env = new HashMap<>();
        env.put("DRBD_RESOURCE", config.name());
        env.put("DRBD_VOLUME", Integer.toString(volume.config().number()));
        env.put("DRBD_MINOR", Integer.toString(volume.minor()));
        env.put("DRBD_MINOR_" + volume.config().number(), Integer.toString(volume.minor()));
        env.put("DRBD_BACKING_DEV", volume.config().disk());
        env.put("DRBD_MY_NODE_ID", Integer.toString(self.nodeId()));
        self.address().ifPresent(address -> {
            env.put("DRBD_MY_ADDRESS", hostOf(address));
            env.put("DRBD_MY_AF", familyOf(address));
        });
        List<HostConfig> peers = config.peersOf(self.name());
        if (peers.size() == 1) {
            putPeer(env, peers.get(0));
        }
        return env;
    }

    /** {@link #environment(VolumeRuntime)} for a handler about one {@code peer} (named even among several peers). */
    Map<String, String> environment(VolumeRuntime volume, PeerRuntime peer) {
        Map<String, String> env = environment(volume);
        putPeer(env, peer.host);
        return env;
    }

    void putPeer(Map<String, String> env, HostConfig peer) {
        env.put("DRBD_PEER_NODE_ID", Integer.toString(peer.nodeId()));
        env.put("DRBD_PEER_NAME", peer.name());
        peer.address().ifPresent(address -> {
            env.put("DRBD_PEER_ADDRESS", hostOf(address));
            env.put("DRBD_PEER_AF", familyOf(address));
        });
        PeerRuntime runtime = this.peers.get(peer.name());
        env.put("DRBD_CSTATE", (runtime == null ? ConnectionState.STANDALONE : runtime.state).drbdName());
    }

    static String familyOf(String address) {
        String first = address.split("\\s+")[0];
        return first.equals("ipv4") || first.equals("ipv6") || first.equals("ssocks") || first.equals("sdp")
            ? first : address.contains("[") ? "ipv6" : "ipv4";
    }

    static String hostOf(String address) {
        String[] words = address.split("\\s+");
        String last = words[words.length - 1];
        int colon = last.lastIndexOf(':');
        String host = colon > 0 ? last.substring(0, colon) : last;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}

package io.replicator.core.resource;

import io.replicator.core.config.Configuration;
import io.replicator.core.config.ResourceConfig;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.MetadataLayout;
import io.replicator.core.testing.HeapVolume;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One node of a two- or three-node resource (alpha 0, bravo 1, charlie 2) on a heap volume with fresh metadata,
 * up, declared UpToDate with {@code new-current-uuid --clear-bitmap}, its links played by {@link ScriptedPeers}.
 *
 * @param conductor the node
 * @param volume    its backing volume (data and internal metadata), for failures and crash checks
 */
record TestNode(ResourceConductor conductor, HeapVolume volume) {
    static final long DATA = 8L << 20;
    private static final List<String> NAMES = List.of("alpha", "bravo", "charlie");

    /** Node {@code self} of the first {@code nodes} names, with {@code diskOptions} in a {@code disk} section. */
    static TestNode start(ScriptedPeers network, String self, int nodes, String diskOptions) throws Exception {
        return start(network, self, nodes, diskOptions, "");
    }

    /** {@link #start(ScriptedPeers, String, int, String)} keeping its last write in {@code memo}. */
    static TestNode start(ScriptedPeers network, String self, int nodes, String diskOptions, LastWriteMemo memo)
            throws Exception {
        return start(network, self, nodes, config(nodes, diskOptions, "", ""), HandlerInvoker.NONE, memo);
    }

    /** {@link #start(ScriptedPeers, String, int, String)} with {@code options} in the resource's options section. */
    static TestNode start(ScriptedPeers network, String self, int nodes, String diskOptions, String options)
            throws Exception {
        return start(network, self, nodes, config(nodes, diskOptions, options, ""), HandlerInvoker.NONE,
            LastWriteMemo.NONE);
    }

    /**
     * Node {@code self} with {@code netOptions} in the net section, {@code handlers} (name and command) in a handlers
     * section, and {@code invoker} running them.
     */
    static TestNode start(ScriptedPeers network, String self, int nodes, String netOptions, String handlers,
                          HandlerInvoker invoker) throws Exception {
        return start(network, self, nodes, config(nodes, "", "", netOptions + " }\n  handlers { " + handlers),
            invoker, LastWriteMemo.NONE);
    }

    private static TestNode start(ScriptedPeers network, String self, int nodes, ResourceConfig config,
                                  HandlerInvoker invoker, LastWriteMemo memo) throws Exception {
        int selfId = NAMES.indexOf(self);
        List<Integer> peers = new ArrayList<>();
        for (int id = 0; id < nodes; id++) {
            if (id != selfId) {
                peers.add(id);
            }
        }
        HeapVolume volume = new HeapVolume(MetadataLayout.internalForDataSize(DATA, peers.size(),
            MetadataLayout.DEFAULT_AL_SIZE_BYTES).backingSizeBytes());
        BackingDisk.create(volume, Optional.empty(),
            new BackingDisk.Format(selfId, peers, peers.size(), 1237, DATA, 1)).close();
        ResourceConductor conductor = conductor(network, self, config, volume, invoker, memo);
        assertThat(conductor.newCurrentUuid(true).ok()).isTrue();
        return new TestNode(conductor, volume);
    }

    /**
     * Node {@code self} started again on what reached {@code volume} (after a process crash: the old conductor is
     * simply abandoned), its links played by {@code network}.
     */
    static TestNode restart(ScriptedPeers network, String self, int nodes, String diskOptions, HeapVolume volume)
            throws Exception {
        return restart(network, self, nodes, diskOptions, "", volume);
    }

    /** {@link #restart(ScriptedPeers, String, int, String, HeapVolume)} with {@code options} in the options section. */
    static TestNode restart(ScriptedPeers network, String self, int nodes, String diskOptions, String options,
                            HeapVolume volume) throws Exception {
        return new TestNode(conductor(network, self, config(nodes, diskOptions, options, ""), volume,
            HandlerInvoker.NONE, LastWriteMemo.NONE), volume);
    }

    /** {@link #restart(ScriptedPeers, String, int, String, HeapVolume)} with the last-write memo {@code memo}. */
    static TestNode restart(ScriptedPeers network, String self, int nodes, String diskOptions, HeapVolume volume,
                            LastWriteMemo memo) throws Exception {
        return new TestNode(conductor(network, self, config(nodes, diskOptions, "", ""), volume, HandlerInvoker.NONE,
            memo), volume);
    }

    private static ResourceConductor conductor(ScriptedPeers network, String self, ResourceConfig config,
            HeapVolume volume, HandlerInvoker invoker, LastWriteMemo memo) {
        ResourceConductor conductor = new ResourceConductor(config, self, v -> BackingDisk.open(volume,
            Optional.empty()), invoker, new SplittableRandom(NAMES.indexOf(self) + 7), network);
        conductor.rememberLastWriteIn(memo);
        assertThat(conductor.up().ok()).isTrue();
        return conductor;
    }

    private static ResourceConfig config(int nodes, String diskOptions, String options, String netOptions)
            throws Exception {
        StringBuilder text = new StringBuilder("resource r0 {\n  options { " + options
            + " }\n  net { protocol C; verify-alg crc32c; " + netOptions + " }\n  disk { " + diskOptions + " }\n");
        for (int id = 0; id < nodes; id++) {
            text.append("  on ").append(NAMES.get(id)).append(" { node-id ").append(id)
                .append("; address 127.0.0.1:").append(7000 + id)
                .append("; volume 0 { device /dev/drbd3; disk /").append(NAMES.get(id))
                .append("; meta-disk internal; } }\n");
        }
        return Configuration.load("t.res", text.append("}\n").toString()).resource("r0");
    }
}

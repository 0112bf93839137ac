package io.replicator.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one node's {@code status --verbose} says about each peer: its connection, and the replication state and disk
 * of its (first) volume. The layout is drbdsetup's: a peer's line is {@code "  NAME node-id:N connection:C ..."},
 * followed by {@code "    volume:V replication:R peer-disk:D ..."}.
 */
record PeerViews(Map<String, PeerView> peers) {
    /** One peer as the node sees it. */
    record PeerView(String connection, String replication, String peerDisk) {
        /** Connected, replicating (no resync) and UpToDate: it holds every write the node completed. */
        boolean inSync() {
            return connection.equals("Connected") && replication.equals("Established") && peerDisk.equals("UpToDate");
        }
    }

    /** The peers {@link PeerView#inSync() in sync}, in status order. */
    java.util.List<String> inSync() {
        return peers.entrySet().stream().filter(peer -> peer.getValue().inSync()).map(Map.Entry::getKey).toList();
    }

    static PeerViews parse(String verboseStatus) {
        Map<String, PeerView> peers = new LinkedHashMap<>();
        String name = null;
        String connection = "";
        for (String line : verboseStatus.split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("   ") && line.contains(" connection:")) {
                name = line.strip().split(" ")[0];
                connection = field(line, "connection");
                peers.put(name, new PeerView(connection, "", ""));
            } else if (name != null && line.startsWith("    volume:") && peers.get(name).replication().isEmpty()) {
                peers.put(name, new PeerView(connection, field(line, "replication"), field(line, "peer-disk")));
            }
        }
        return new PeerViews(peers);
    }

    private static String field(String line, String key) {
        for (String word : line.strip().split(" ")) {
            if (word.startsWith(key + ":")) {
                return word.substring(key.length() + 1);
            }
        }
        return "";
    }
}

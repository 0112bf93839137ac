package io.replicator.cli.promoter;

import io.replicator.core.state.DiskState;
import io.replicator.core.state.Role;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the node's {@code events} stream (drbdsetup's events2 lines) says of each resource, folded into the
 * {@link PromoterMachine.View} the promoter decides on: the resource's {@code role} and {@code may_promote}, each
 * device's {@code disk} and {@code quorum}. {@code destroy resource} and a lost stream ({@link #clear}) make every
 * resource absent. Not thread-safe: the stream's reader feeds it under the promoter's lock.
 */
final class EventView {
    private static final class Resource {
        Role role = Role.UNKNOWN;
        boolean mayPromote;
        final Map<Integer, DiskState> disks = new TreeMap<>();
        final Map<Integer, Boolean> quorum = new TreeMap<>();
    }

    private final Map<String, Resource> resources = new HashMap<>();

    /** Folds one events2 line in; returns whether it was about a resource (lines it does not know are skipped). */
    boolean accept(String line) {
        String[] words = line.strip().split("\\s+");
        if (words.length < 3 || !(words[1].equals("resource") || words[1].equals("device"))) {
            return false;
        }
        Map<String, String> keys = new HashMap<>();
        for (int i = 2; i < words.length; i++) {
            int colon = words[i].indexOf(':');
            if (colon > 0) {
                keys.put(words[i].substring(0, colon), words[i].substring(colon + 1));
            }
        }
        String name = keys.get("name");
        if (name == null) {
            return false;
        }
        if (words[0].equals("destroy")) {
            if (words[1].equals("resource")) {
                resources.remove(name);
            }
            return true;
        }
        Resource resource = resources.computeIfAbsent(name, n -> new Resource());
        try {
            if (words[1].equals("resource")) {
                if (keys.containsKey("role")) {
                    resource.role = Role.parse(keys.get("role"));
                }
                if (keys.containsKey("may_promote")) {
                    resource.mayPromote = keys.get("may_promote").equals("yes");
                }
            } else {
                int volume = Integer.parseInt(keys.getOrDefault("volume", "0"));
                if (keys.containsKey("disk")) {
                    resource.disks.put(volume, DiskState.parse(keys.get("disk")));
                }
                if (keys.containsKey("quorum")) {
                    resource.quorum.put(volume, keys.get("quorum").equals("yes"));
                }
            }
        } catch (IllegalArgumentException unknownWord) {
            return false; // a newer daemon's word: the next line will say more
        }
        return true;
    }

    /** The stream ended: nothing is known. */
    void clear() {
        resources.clear();
    }

    /** What is known of {@code name}. */
    PromoterMachine.View view(String name) {
        Resource resource = resources.get(name);
        if (resource == null) {
            return PromoterMachine.View.ABSENT;
        }
        DiskState worst = DiskState.UP_TO_DATE;
        for (DiskState disk : resource.disks.values()) {
            worst = disk.ordinal() < worst.ordinal() ? disk : worst;
        }
        if (resource.disks.isEmpty()) {
            worst = DiskState.DUNKNOWN;
        }
        boolean quorum = resource.quorum.values().stream().allMatch(Boolean::booleanValue);
        return new PromoterMachine.View(true, resource.role, resource.mayPromote, quorum, worst);
    }
}

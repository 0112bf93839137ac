package io.replicator.core.activitylog;

import java.util.Arrays;

/**
 * Open-addressing map from extent number to slot index, sized for the hot set, allocation-free after construction.
 * Deletion uses backward shifting, so lookups never meet tombstones.
 */
final class ExtentSlotTable {
    private static final int FREE = -1;
    private final int[] keys;
    private final int[] values;
    private final int mask;

    ExtentSlotTable(int maxEntries) {
        int capacity = Integer.highestOneBit(Math.max(4, maxEntries * 2) - 1) << 1;
        keys = new int[capacity];
        values = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, FREE);
    }

    /** The slot of {@code extent}, or -1. */
    int slotOf(int extent) {
        for (int i = hash(extent); ; i = (i + 1) & mask) {
            int key = keys[i];
            if (key == extent) {
                return values[i];
            }
            if (key == FREE) {
                return -1;
            }
        }
    }

    void put(int extent, int slot) {
        int i = hash(extent);
        while (keys[i] != FREE && keys[i] != extent) {
            i = (i + 1) & mask;
        }
        keys[i] = extent;
        values[i] = slot;
    }

    void remove(int extent) {
        int i = hash(extent);
        while (keys[i] != extent) {
            if (keys[i] == FREE) {
                return;
            }
            i = (i + 1) & mask;
        }
        // Shift later members of the probe run back so that no lookup stops early at the hole.
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != FREE; j = (j + 1) & mask) {
            int home = hash(keys[j]);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = FREE;
    }

    private int hash(int extent) {
        return (extent * 0x9E37_79B9 >>> 7) & mask;
    }
}

package io.replicator.core.activitylog;

import io.replicator.core.testing.SeededTries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Seeded ({@link SeededTries}: the seed is printed, and {@code -Dreplicator.seed=S} repeats a run). */
class ExtentSlotTableTest {
    private static final int MAX_KEY = 40;

    @Test
    @Timeout(60)
    void shouldBehaveLikeAHashMap() {
        List<Integer> ascending = IntStream.rangeClosed(0, MAX_KEY).boxed().toList();
        List<Integer> twiceAscending = new ArrayList<>(ascending);
        twiceAscending.addAll(ascending);
        List<Integer> descending = new ArrayList<>(ascending);
        Collections.reverse(descending);
        SeededTries.check(200, List.<List<Integer>>of(
                List.of(),
                List.of(0),
                List.of(MAX_KEY),
                Collections.nCopies(400, 0),
                Collections.nCopies(400, MAX_KEY),
                twiceAscending,
                descending),
            ExtentSlotTableTest::keys,
            keys -> {
                ExtentSlotTable table = new ExtentSlotTable(16);
                Map<Integer, Integer> model = new HashMap<>();
                int step = 0;
                for (int key : keys) {
                    step++;
                    if (model.containsKey(key)) {
                        table.remove(key);
                        model.remove(key);
                    } else if (model.size() < 16) {
                        table.put(key, step);
                        model.put(key, step);
                    }
                    for (int probe = 0; probe <= MAX_KEY; probe++) {
                        assertThat(table.slotOf(probe)).isEqualTo(model.getOrDefault(probe, -1));
                    }
                }
            });
    }

    /** Up to 400 keys in [0, 40]. */
    private static List<Integer> keys(SplittableRandom random) {
        List<Integer> keys = new ArrayList<>();
        for (int i = random.nextInt(401); i > 0; i--) {
            keys.add(random.nextInt(MAX_KEY + 1));
        }
        return keys;
    }
}

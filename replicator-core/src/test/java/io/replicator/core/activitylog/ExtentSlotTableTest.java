package io.replicator.core.activitylog;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExtentSlotTableTest {
    @Property(tries = 200)
    void shouldBehaveLikeAHashMap(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 40) Integer> keys) {
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
            for (int probe = 0; probe <= 40; probe++) {
                assertThat(table.slotOf(probe)).isEqualTo(model.getOrDefault(probe, -1));
            }
        }
    }
}

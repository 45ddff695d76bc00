package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Step-by-step comparison of a fast policy with a reference model. */
final class Compare {
    private Compare() {}

    static void sameDecisions(CachePolicy fast, ReferenceModel ref, List<Step> steps, boolean contents) {
        long[] next = fast.needsFuture() ? Replay.nextUses(steps) : null;
        Set<Long> universe = Replay.distinct(steps);
        Touch t = new Touch();
        long index = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (!s.touch()) {
                fast.remove(s.block());
                ref.remove(s.block());
            } else {
                t.set(s.block(), s.ioClass(), s.op() == 'W');
                t.index = index++;
                t.nextUse = next != null ? next[i] : Touch.NEVER;
                boolean h = fast.access(t);
                boolean r = ref.access(i, s);
                int at = i;
                assertEquals(r, h, () -> fast.name() + ": step " + at + " " + s);
            }
            assertTrue(fast.size() <= fast.capacity(), fast.name() + ": over capacity at step " + i);
            if (contents) {
                Set<Long> cached = new HashSet<>();
                for (long b : universe) {
                    if (fast.contains(b)) {
                        cached.add(b);
                    }
                }
                int at = i;
                assertEquals(ref.contents(), cached, () -> fast.name() + ": contents after step " + at);
                assertEquals(cached.size(), fast.size(), fast.name() + ": size after step " + i);
            }
        }
    }
}

package dev.triage.cache.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs test traces through fast policies and reference models, the way the replay engine will. */
final class Replay {
    private Replay() {}

    /**
     * The index of each touch's next touch of the same block ({@link Touch#NEVER} when none, or
     * when a discard comes first); -1 for discards. Touch indices count touches only.
     */
    static long[] nextUses(List<Step> steps) {
        long[] next = new long[steps.size()];
        Map<Long, Long> upcoming = new HashMap<>();
        long touchIndex = steps.stream().filter(Step::touch).count();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            if (!s.touch()) {
                upcoming.remove(s.block());
                next[i] = -1;
            } else {
                touchIndex--;
                next[i] = upcoming.getOrDefault(s.block(), Touch.NEVER);
                upcoming.put(s.block(), touchIndex);
            }
        }
        return next;
    }

    /** The hit (true) or miss (false) of every touch, in order. */
    static List<Boolean> hits(CachePolicy p, List<Step> steps) {
        long[] next = p.needsFuture() ? nextUses(steps) : null;
        List<Boolean> out = new ArrayList<>();
        Touch t = new Touch();
        long index = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (!s.touch()) {
                p.remove(s.block());
                continue;
            }
            t.set(s.block(), s.ioClass(), s.op() == 'W');
            t.index = index++;
            t.requestBlocks = 1;
            t.nextUse = next != null ? next[i] : Touch.NEVER;
            out.add(p.access(t));
        }
        return out;
    }

    static long hitCount(CachePolicy p, List<Step> steps) {
        return hits(p, steps).stream().filter(h -> h).count();
    }

    /** Touches that are the first of their block, or the first after a discard of it. */
    static long coldTouches(List<Step> steps) {
        Set<Long> seen = new HashSet<>();
        long cold = 0;
        for (Step s : steps) {
            if (!s.touch()) {
                seen.remove(s.block());
            } else if (seen.add(s.block())) {
                cold++;
            }
        }
        return cold;
    }

    static Set<Long> distinct(List<Step> steps) {
        Set<Long> d = new HashSet<>();
        for (Step s : steps) {
            d.add(s.block());
        }
        return d;
    }
}

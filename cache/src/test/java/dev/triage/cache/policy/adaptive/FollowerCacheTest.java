package dev.triage.cache.policy.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.triage.cache.policy.LruPolicy;
import dev.triage.cache.policy.Touch;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class FollowerCacheTest {

    /** The blocks of each list of a cache, least recent first. */
    static List<List<Long>> lists(FollowerCache c) {
        List<List<Long>> all = new ArrayList<>();
        for (int list = FollowerCache.ALIGNED; list <= FollowerCache.PINNED_ORPHAN; list++) {
            List<Long> blocks = new ArrayList<>();
            for (int s = c.slots.lists().tail(list); s != FollowerCache.NIL; s = c.slots.lists().prev(s)) {
                blocks.add(c.slots.block(s));
            }
            all.add(blocks);
        }
        return all;
    }

    /**
     * A copy holds the same blocks of the same classes, sorted against the new expert exactly as a
     * realigned cache is, and a second copy into the same shadow leaves nothing of the first.
     */
    @Property(tries = 60)
    void aCopyIsTheCacheRealignedToTheExpert(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int capacity,
            @ForAll @IntRange(min = 1, max = 3) int classes) {
        java.util.Random r = new java.util.Random(seed);
        boolean[] pinned = {false, true, false};
        FollowerCache cache = new FollowerCache(capacity);
        cache.ensureClasses(classes);
        LruPolicy expert = new LruPolicy(Math.max(1, capacity / 2));
        Touch t = new Touch();
        for (int i = 0; i < 5 * capacity; i++) {
            long b = r.nextInt(3 * capacity);
            int k = r.nextInt(classes);
            t.block = b;
            t.ioClass = k;
            expert.access(t);
            int s = cache.slotOf(b);
            if (s != FollowerCache.NIL) {
                cache.touched(s);
                cache.place(s, r.nextBoolean(), pinned[cache.slots.ioClass(s)]);
            } else if (!cache.full()) {
                cache.insert(b, k, r.nextBoolean(), pinned[k]);
            } else {
                int victim = cache.oldestOf(r.nextInt(classes));
                if (victim != FollowerCache.NIL) {
                    cache.release(victim);
                    cache.insert(b, k, r.nextBoolean(), pinned[k]);
                }
            }
        }
        FollowerCache shadow = new FollowerCache(capacity);
        shadow.copyOf(cache, new LruPolicy(1), pinned); // something to be cleared by the next copy
        shadow.copyOf(cache, expert, pinned);
        cache.realign(expert, pinned);

        assertEquals(cache.size(), shadow.size());
        for (int k = 0; k < classes; k++) {
            assertEquals(cache.count(k), shadow.count(k), "class " + k);
        }
        List<List<Long>> mine = lists(shadow);
        List<List<Long>> theirs = lists(cache);
        for (int list = 0; list < 3; list++) {
            assertEquals(new java.util.HashSet<>(theirs.get(list)), new java.util.HashSet<>(mine.get(list)), "list " + list);
            for (long b : mine.get(list)) {
                int s = shadow.slotOf(b);
                assertEquals(cache.slots.ioClass(cache.slotOf(b)), shadow.slots.ioClass(s), "class of block " + b);
                assertEquals(list == FollowerCache.ALIGNED, expert.contains(b), "alignment of block " + b);
            }
        }
    }
}

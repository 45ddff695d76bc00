package dev.triage.cache.policy;

import dev.triage.cache.collect.IntLinkedLists;

/**
 * W-TinyLFU, after Caffeine's design (Einziger, Friedman and Manes, "TinyLFU: A Highly Efficient
 * Cache Admission Policy", 2017), in our own deterministic implementation: a window LRU of 1%
 * of the capacity (at least one block) in front of a segmented LRU main region (20% probation,
 * 80% protected). Every touch is counted in a {@link FrequencySketch}. A missed block always
 * enters the window; the window's LRU block then moves to probation as a candidate and, when
 * the cache is over capacity, competes with the main region's victim (the LRU block of
 * probation, else of protected): the candidate stays only if its estimated frequency is
 * strictly higher, otherwise it is evicted. A hit in probation promotes the block to protected,
 * whose overflow is demoted back to the head of probation.
 *
 * <p>Differences from Caffeine 3: the window stays at 1% (no hill climber); no doorkeeper; no
 * random admission of warm candidates (Caffeine admits a candidate with frequency above 5
 * against a stronger victim with probability 1/128, to resist hash flooding); the sketch hashes
 * each block to four counters of a flat table rather than to one 64-byte block.
 */
public final class WindowTinyLfuPolicy extends AbstractPolicy {
    private static final int WINDOW = 0;
    private static final int PROBATION = 1;
    private static final int PROTECTED = 2;

    private final long maxWindow;
    private final long maxProtected;
    private final FrequencySketch sketch;

    public WindowTinyLfuPolicy(long capacity) {
        super("wtinylfu", capacity, 3, false, 1);
        long main = capacity * 99 / 100;
        maxWindow = capacity - main;
        maxProtected = main * 80 / 100;
        sketch = new FrequencySketch(capacity);
    }

    /** Estimated frequency of a block (for tests and stats). */
    public int frequency(long block) {
        return sketch.frequency(block);
    }

    /** Sizes of window, probation, protected (for tests and stats). */
    public long[] listSizes() {
        IntLinkedLists l = slots.lists();
        return new long[] {l.count(WINDOW), l.count(PROBATION), l.count(PROTECTED)};
    }

    @Override
    public boolean access(Touch t) {
        if (capacity == 0) {
            return false;
        }
        sketch.increment(t.block);
        IntLinkedLists l = slots.lists();
        int s = slots.slotOf(t.block);
        if (s != NIL) {
            slots.setIoClass(s, t.ioClass);
            switch (l.listOf(s)) {
                case WINDOW -> l.moveToHead(WINDOW, s);
                case PROTECTED -> l.moveToHead(PROTECTED, s);
                default -> {
                    l.moveToHead(PROTECTED, s);
                    if (l.count(PROTECTED) > maxProtected) {
                        l.moveToHead(PROBATION, l.tail(PROTECTED));
                    }
                }
            }
            return true;
        }
        l.addHead(WINDOW, slots.allocate(t.block, t.ioClass));
        int candidate = NIL;
        if (l.count(WINDOW) > maxWindow) {
            candidate = l.tail(WINDOW);
            l.moveToHead(PROBATION, candidate);
        }
        if (slots.size() > capacity) {
            int victim = l.tail(PROBATION);
            if (victim == candidate) {
                victim = l.tail(PROTECTED);
            }
            if (victim == NIL) {
                victim = l.tail(WINDOW);
            }
            int loser;
            if (candidate == NIL || victim == NIL) {
                loser = victim == NIL ? candidate : victim;
            } else if (sketch.frequency(slots.block(candidate)) > sketch.frequency(slots.block(victim))) {
                loser = victim;
            } else {
                loser = candidate;
            }
            if (slots.block(loser) == t.block) {
                // only in caches of one or two blocks, whose main region holds nothing but the
                // candidate: the missed block itself lost; it was never admitted, so no eviction
                slots.release(loser);
            } else {
                evict(loser);
            }
        }
        return false;
    }
}

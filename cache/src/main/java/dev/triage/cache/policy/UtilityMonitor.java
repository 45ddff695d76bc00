package dev.triage.cache.policy;

import dev.triage.cache.collect.BlockSlots;
import dev.triage.cache.collect.IntLinkedLists;
import java.util.Arrays;

/**
 * How many hits each I/O class would get from each amount of cache space: a utility monitor
 * (UMON, from Qureshi and Patt's utility-based cache partitioning, MICRO 2006) per class, on a
 * hash-sampled subset of the blocks.
 *
 * <p>For each class, the sampled blocks it touched are kept in an LRU stack as deep as the
 * sampled capacity, cut into {@link #BUCKETS} segments of equal depth. A touch of a block found
 * in segment {@code j} of its class's stack is a hit that class would have with
 * {@code j + 1} segments' worth of space or more, and adds one to that segment's counter; so
 * {@link #hits(int, int) hits(k, n)}, the sum of the first {@code n} counters, is the class's
 * hit curve. A block belongs to the stack of the class that touched it first (as a cached block
 * belongs to the class that admitted it).
 *
 * <p>Keeping the segments is a cascade: a block moved to the head pushes the tail of each full
 * segment in front of its old one down by one segment, so a touch costs at most
 * {@code BUCKETS} list moves, and only sampled touches (one block in up to sixteen) cost
 * anything. Counters are halved by {@link #decay()}, so the curves follow the recent past.
 * Memory: at most {@code 4 ×} the sampled capacity of stack entries in all (a class's deepest
 * entries go first when that is full). Nothing is allocated once the tables have grown.
 */
final class UtilityMonitor {
    /** Segments per stack: the resolution of the hit curves. */
    static final int BUCKETS = 32;
    private static final int MAX_SHIFT = 4;
    private static final int NIL = BlockSlots.NIL;

    private final int sampleShift;
    private final int segment; // sampled blocks per segment
    private final int limit; // stack entries in all
    private final BlockSlots stacks; // list k * BUCKETS + j: segment j of class k's stack
    private long[] hits = new long[0]; // k * BUCKETS + j
    private int[] depth = new int[0]; // entries per class
    private int classes;

    /** @param capacity the cache's capacity in blocks */
    UtilityMonitor(long capacity) {
        int shift = 0;
        while (shift < MAX_SHIFT && (capacity >> (shift + 1)) >= 512) {
            shift++;
        }
        sampleShift = shift;
        long sampled = Math.max(1, capacity >> shift);
        segment = (int) Math.max(1, (sampled + BUCKETS - 1) / BUCKETS);
        limit = 4 * segment * BUCKETS;
        stacks = new BlockSlots(limit + 1L, 0, false); // one more while a full stack drops its tail
    }

    /** Whether the monitor looks at this block (a fixed hash: deterministic). */
    boolean sampled(long block) {
        return sampleShift == 0 || (mix(block) >>> (64 - sampleShift)) == 0;
    }

    /** Blocks of cache each segment of a curve stands for (segment depth × sampling rate). */
    double blocksPerBucket() {
        return (double) segment * (1 << sampleShift);
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        x = (x ^ (x >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return x ^ (x >>> 33);
    }

    private void ensure(int k) {
        if (k < classes) {
            return;
        }
        int n = Math.max(k + 1, classes * 2);
        hits = Arrays.copyOf(hits, n * BUCKETS);
        depth = Arrays.copyOf(depth, n);
        stacks.ensureLists(n * BUCKETS);
        classes = n;
    }

    /** A touch of a sampled block by class {@code k}. */
    void access(long block, int k) {
        ensure(k);
        IntLinkedLists l = stacks.lists();
        int s = stacks.slotOf(block);
        int owner;
        int stop;
        if (s != NIL) {
            owner = stacks.ioClass(s);
            int list = l.listOf(s);
            hits[list]++;
            stop = list - owner * BUCKETS; // segments in front of this one may overflow
            l.moveToHead(owner * BUCKETS, s);
        } else {
            if (stacks.size() >= limit && depth[k] < segment * BUCKETS) {
                dropDeepest(); // (a full stack drops its own deepest entry below)
            }
            owner = k;
            s = stacks.allocate(block, k);
            l.addHead(k * BUCKETS, s);
            depth[k]++;
            stop = BUCKETS;
        }
        int base = owner * BUCKETS;
        for (int j = 0; j < stop && l.count(base + j) > segment; j++) {
            int t = l.tail(base + j);
            if (j + 1 == BUCKETS) {
                release(t);
            } else {
                l.moveToHead(base + j + 1, t);
            }
        }
    }

    /** The block is gone (discarded): it leaves its stack. */
    void remove(long block) {
        int s = stacks.slotOf(block);
        if (s != NIL) {
            release(s);
        }
    }

    private void release(int s) {
        depth[stacks.ioClass(s)]--;
        stacks.release(s);
    }

    /** Frees one entry: the deepest of the class with the most entries. */
    private void dropDeepest() {
        int k = 0;
        for (int c = 1; c < classes; c++) {
            if (depth[c] > depth[k]) {
                k = c;
            }
        }
        IntLinkedLists l = stacks.lists();
        for (int j = BUCKETS - 1; j >= 0; j--) {
            int t = l.tail(k * BUCKETS + j);
            if (t != NIL) {
                release(t);
                return;
            }
        }
    }

    /** Classes the monitor has seen (ids below this). */
    int classes() {
        return classes;
    }

    /** Hits class {@code k} had lately with {@code buckets} segments' worth of cache. */
    long hits(int k, int buckets) {
        if (k >= classes) {
            return 0;
        }
        long h = 0;
        int base = k * BUCKETS;
        for (int j = 0; j < buckets && j < BUCKETS; j++) {
            h += hits[base + j];
        }
        return h;
    }

    /** Halves every counter: the curves weigh the recent past more. */
    void decay() {
        for (int i = 0; i < hits.length; i++) {
            hits[i] >>>= 1;
        }
    }
}

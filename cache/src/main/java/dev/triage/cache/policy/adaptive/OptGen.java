package dev.triage.cache.policy.adaptive;

import dev.triage.cache.collect.BlockSlots;
import dev.triage.cache.collect.IntLinkedLists;

/**
 * Belady's optimum replayed on the past, on a hash-sampled subset of the blocks (OPTgen, from
 * Jain and Lin's Hawkeye, ISCA 2016), to tell the {@link ReusePredictor} whether the optimum
 * would have kept a block from its previous touch to this one.
 *
 * <p>The blocks whose hash falls in the sample (one in {@code rate}) form a miniature cache of
 * {@code capacity / rate} blocks. Sampled time advances by one per sampled touch. An
 * <em>occupancy vector</em> over the last {@code 8 × capacity / rate} sampled touches, in
 * 128 quanta, counts the reuse intervals the optimum keeps cached in each quantum: on a reuse
 * the interval from the previous touch is a hit of the optimum exactly when every quantum it
 * spans has room, and then it takes that room. A block not touched again within the window (or
 * discarded) counts as a miss of the optimum for the context of its last touch.
 *
 * <p>Cost per touch: a hash; for a sampled touch a map lookup and at most 128 counter reads and
 * writes, so O(1). Memory: the history of at most {@code 8 × capacity / rate} sampled blocks.
 * Nothing is allocated once the history table has grown.
 */
final class OptGen {
    static final int QUANTA = 128;
    /** At most one block in 2^MAX_SHIFT is sampled. */
    static final int MAX_SHIFT = 4;
    private static final int RING = 256;
    private static final int WINDOW_FACTOR = 4;

    private final ReusePredictor predictor;
    private final int sampleShift; // a block is sampled when the top sampleShift bits of its hash are 0
    private final long miniCapacity;
    private final long window; // sampled touches
    private final long quantum; // sampled touches per quantum
    private final int[] occupancy = new int[RING];
    private final BlockSlots history; // key: last sampled time, mark: context of the last touch
    private long now;
    private long lastQuantum;

    OptGen(long capacity, ReusePredictor predictor) {
        this.predictor = predictor;
        int shift = 0;
        // about 512 sampled blocks of cache at least, at most one block in 16 sampled
        while (shift < MAX_SHIFT && (capacity >> (shift + 1)) >= 512) {
            shift++;
        }
        sampleShift = shift;
        miniCapacity = Math.max(1, capacity >> shift);
        window = WINDOW_FACTOR * miniCapacity;
        quantum = Math.max(1, window / QUANTA);
        history = new BlockSlots(window + 1, 1, true);
    }

    /** One in {@code rate()} blocks is sampled. */
    int rate() {
        return 1 << sampleShift;
    }

    long miniCapacity() {
        return miniCapacity;
    }

    static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        x = (x ^ (x >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return x ^ (x >>> 33);
    }

    boolean sampled(long block) {
        return sampleShift == 0 || (mix(block) >>> (64 - sampleShift)) == 0;
    }

    /** A touch of a sampled block in context {@code ctx}: trains on its previous touch. */
    void access(long block, int ctx) {
        long t = ++now;
        long q = t / quantum;
        while (lastQuantum < q) { // a quantum starts: its ring cell is reused
            lastQuantum++;
            occupancy[(int) (lastQuantum % RING)] = 0;
        }
        expire(t);
        IntLinkedLists l = history.lists();
        int s = history.slotOf(block);
        if (s != BlockSlots.NIL) {
            predictor.train(history.mark(s), optimumKeeps(history.key(s), t));
            l.moveToHead(0, s);
        } else {
            if (history.size() >= history.maxSlots()) {
                forget(l.tail(0));
            }
            s = history.allocate(block, 0);
            l.addHead(0, s);
        }
        history.setKey(s, t);
        history.setMark(s, ctx);
    }

    /** A discarded block's last touch is never reused. */
    void discard(long block) {
        int s = history.slotOf(block);
        if (s != BlockSlots.NIL) {
            forget(s);
        }
    }

    private void expire(long t) {
        IntLinkedLists l = history.lists();
        int tail;
        while ((tail = l.tail(0)) != BlockSlots.NIL && t - history.key(tail) >= window) {
            forget(tail);
        }
    }

    private void forget(int s) {
        predictor.train(history.mark(s), false);
        history.release(s);
    }

    /** Whether the optimum keeps the interval [from, to) cached; if so it takes the room. */
    private boolean optimumKeeps(long from, long to) {
        long q0 = from / quantum;
        long q1 = to / quantum;
        if (q1 - q0 >= QUANTA) {
            return false;
        }
        for (long q = q0; q < q1; q++) {
            if (occupancy[(int) (q % RING)] >= miniCapacity) {
                return false;
            }
        }
        for (long q = q0; q < q1; q++) {
            occupancy[(int) (q % RING)]++;
        }
        return true;
    }
}

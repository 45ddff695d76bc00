package dev.triage.cache.curve;

import dev.triage.cache.collect.LongLongMap;
import java.util.Arrays;

/**
 * Exact LRU stack distances (Mattson et al., 1970) in O(log n) per touch: the distance of a
 * touch is the number of distinct other blocks touched since the same block's previous touch,
 * so an LRU cache of {@code C} blocks hits exactly the touches of distance {@code < C}; a first
 * touch is {@link #COLD}.
 *
 * <p>Each live block has a mark at the time of its last touch in a Fenwick tree over times; the
 * distance is the number of marks after the block's own. Times are renumbered densely when the
 * tree is full, so memory is bounded by the distinct blocks (a map entry, a tree cell and a slot
 * per block, about twice over), never by the trace's length. Nothing is allocated per touch
 * except when the tables grow.
 */
public final class StackDistances {
    /** The distance of a first touch (or the first after a removal). */
    public static final long COLD = -1;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final int INITIAL = 1 << 10;

    private final LongLongMap last = new LongLongMap(INITIAL, -1);
    private int[] tree = new int[INITIAL + 1]; // Fenwick, 1-based: position p is tree index p + 1
    private long[] blockAt = filled(INITIAL);
    private int now;
    private int live;

    private static long[] filled(int n) {
        long[] a = new long[n];
        Arrays.fill(a, EMPTY);
        return a;
    }

    /** Touches a block; returns its stack distance, or {@link #COLD}. */
    public long access(long block) {
        if (now == blockAt.length) {
            compact();
        }
        long prev = last.put(block, now);
        long d;
        if (prev < 0) {
            d = COLD;
            live++;
        } else {
            int p = (int) prev;
            d = live - prefix(p + 1);
            add(p, -1);
            blockAt[p] = EMPTY;
        }
        add(now, 1);
        blockAt[now++] = block;
        return d;
    }

    /**
     * Forgets a block (a discard): its next touch is cold.
     *
     * @return the block's stack distance before it went (how many blocks were touched since its
     *     last touch), or {@link #COLD} when it was not there
     */
    public long remove(long block) {
        long prev = last.remove(block);
        if (prev < 0) {
            return COLD;
        }
        int p = (int) prev;
        long d = live - prefix(p + 1);
        add(p, -1);
        blockAt[p] = EMPTY;
        live--;
        return d;
    }

    /** Distinct blocks live now. */
    public int live() {
        return live;
    }

    /** Marks at positions {@code < n} (tree indexes 1..n). */
    private int prefix(int n) {
        int s = 0;
        for (int i = n; i > 0; i -= i & -i) {
            s += tree[i];
        }
        return s;
    }

    private void add(int pos, int delta) {
        int[] t = tree;
        for (int i = pos + 1; i < t.length; i += i & -i) {
            t[i] += delta;
        }
    }

    /** Renumbers the live marks 0..live-1 in time order, growing the tables when half full. */
    private void compact() {
        int cap = blockAt.length;
        long[] src = blockAt;
        long[] dst = blockAt;
        if (live * 2L > cap) {
            long want = Math.max(INITIAL, 2L * cap);
            if (want > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than " + (Integer.MAX_VALUE / 2) + " distinct blocks");
            }
            cap = (int) want;
            dst = filled(cap);
            tree = new int[cap + 1];
        }
        int j = 0;
        for (int i = 0; i < src.length; i++) {
            long b = src[i];
            if (b != EMPTY) {
                if (dst == src) {
                    src[i] = EMPTY;
                }
                dst[j] = b;
                last.put(b, j);
                j++;
            }
        }
        blockAt = dst;
        now = j;
        int[] t = tree;
        Arrays.fill(t, 0);
        for (int i = 1; i <= j; i++) {
            t[i] = 1;
        }
        for (int i = 1; i < t.length; i++) {
            int parent = i + (i & -i);
            if (parent < t.length) {
                t[parent] += t[i];
            }
        }
    }
}

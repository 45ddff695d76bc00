package dev.triage.hints.guest;

import java.util.Arrays;

/**
 * A map from blocks to a small payload (a kind, an owner and the owner's generation) held as
 * disjoint intervals: sorted primitive arrays per bucket of {@value #BUCKET_BLOCKS} blocks,
 * allocated only for buckets that hold something. A lookup is a shift and a binary search in
 * one bucket and allocates nothing; a {@link #put} overwrites (the latest mapping wins) and
 * costs the size of the buckets it touches.
 *
 * <p>Memory is bounded: at most {@code maxEntries} intervals in all. When a bucket must grow it
 * first drops the intervals its {@link Staleness} check calls stale; a put that would still
 * pass the bound is dropped and counted ({@link #dropped()}).
 */
final class BlockIntervals {
    static final int SHIFT = 15;
    static final int BUCKET_BLOCKS = 1 << SHIFT;
    private static final int MASK = BUCKET_BLOCKS - 1;

    /** Tells which intervals no longer count (their owner was freed or remapped). */
    @FunctionalInterface
    interface Staleness {
        boolean isStale(int kind, int owner, int gen);
    }

    private static final class Bucket {
        int n;
        int[] start = new int[8];
        int[] end = new int[8];
        int[] owner = new int[8];
        int[] gen = new int[8];
        byte[] kind = new byte[8];
    }

    private final long blocks;
    private final Bucket[] buckets;
    private final long maxEntries;
    private final Staleness staleness;
    private long entries;
    private long dropped;

    /**
     * @param blocks the blocks the map covers ({@code [0, blocks)}); puts outside are clipped
     * @param maxEntries the most intervals held in all
     * @param staleness which intervals may be dropped when a bucket is full (null: none)
     */
    BlockIntervals(long blocks, long maxEntries, Staleness staleness) {
        if (blocks < 0 || ((blocks + MASK) >>> SHIFT) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many blocks: " + blocks);
        }
        this.blocks = blocks;
        this.buckets = new Bucket[(int) ((blocks + MASK) >>> SHIFT)];
        this.maxEntries = maxEntries;
        this.staleness = staleness;
    }

    /** Packs a payload: never 0 for a kind of 1..127. */
    static long pack(int kind, int owner, int gen) {
        return (long) (kind & 0x7f) << 56 | (long) (gen & 0xffffff) << 32 | (owner & 0xffffffffL);
    }

    static int kindOf(long packed) {
        return (int) (packed >>> 56) & 0x7f;
    }

    static int genOf(long packed) {
        return (int) (packed >>> 32) & 0xffffff;
    }

    static int ownerOf(long packed) {
        return (int) packed;
    }

    /** The packed payload ({@link #pack}) of the interval holding {@code block}, or 0 when none does. */
    long lookup(long block) {
        if (block < 0 || block >= blocks) {
            return 0;
        }
        Bucket b = buckets[(int) (block >>> SHIFT)];
        if (b == null) {
            return 0;
        }
        int rel = (int) (block & MASK);
        int i = floor(b, rel);
        if (i < 0 || rel >= b.end[i]) {
            return 0;
        }
        return pack(b.kind[i], b.owner[i], b.gen[i]);
    }

    /** The index of the last interval starting at or before {@code rel}, or -1. */
    private static int floor(Bucket b, int rel) {
        int lo = 0;
        int hi = b.n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (b.start[mid] <= rel) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    /** Maps {@code [from, to)} to the payload, taking those blocks from whatever held them. */
    void put(long from, long to, int kind, int owner, int gen) {
        if (kind < 1 || kind > 127) {
            throw new IllegalArgumentException("kind " + kind);
        }
        apply(from, to, kind, owner, gen);
    }

    /** Unmaps {@code [from, to)}. */
    void remove(long from, long to) {
        apply(from, to, 0, 0, 0);
    }

    /**
     * Unmaps the blocks of {@code [from, to)} whose payload is exactly {@code packed}, leaving
     * the others; costs the intervals met in the range.
     */
    void removeMatching(long from, long to, long packed) {
        long a = Math.max(from, 0);
        long z = Math.min(to, blocks);
        while (a < z) {
            int bi = (int) (a >>> SHIFT);
            long base = (long) bi << SHIFT;
            Bucket b = buckets[bi];
            if (b == null) {
                a = base + BUCKET_BLOCKS;
                continue;
            }
            int rel = (int) (a - base);
            int i = floor(b, rel);
            if (i < 0 || b.end[i] <= rel) {
                i++;
            }
            if (i >= b.n) {
                a = base + BUCKET_BLOCKS;
                continue;
            }
            long s = Math.max(a, base + b.start[i]);
            long e = Math.min(z, base + b.end[i]);
            if (s >= z) {
                return;
            }
            if (pack(b.kind[i], b.owner[i], b.gen[i]) == packed) {
                apply(s, e, 0, 0, 0);
            }
            a = e;
        }
    }

    private void apply(long from, long to, int kind, int owner, int gen) {
        long a = Math.max(from, 0);
        long z = Math.min(to, blocks);
        while (a < z) {
            int bi = (int) (a >>> SHIFT);
            long bucketEnd = ((long) bi + 1) << SHIFT;
            long e = Math.min(z, bucketEnd);
            Bucket b = buckets[bi];
            if (b == null) {
                if (kind == 0) {
                    a = e;
                    continue;
                }
                if (entries >= maxEntries) {
                    dropped++;
                    return;
                }
                b = buckets[bi] = new Bucket();
            }
            if (!putInBucket(b, (int) (a & MASK), (int) (e - ((long) bi << SHIFT)), kind, owner, gen)) {
                dropped++;
                return;
            }
            if (b.n == 0) {
                buckets[bi] = null;
            }
            a = e;
        }
    }

    /** Puts {@code [s, e)} (relative to the bucket, e up to BUCKET_BLOCKS); false when over the bound. */
    private boolean putInBucket(Bucket b, int s, int e, int kind, int owner, int gen) {
        // First interval that ends after s (ends are ascending: the intervals are disjoint).
        int i = floor(b, s);
        if (i < 0 || b.end[i] <= s) {
            i++;
        }
        int j = i; // first interval starting at or after e
        while (j < b.n && b.start[j] < e) {
            j++;
        }
        boolean left = i < j && b.start[i] < s;
        boolean right = i < j && b.end[j - 1] > e;
        int leftStart = left ? b.start[i] : 0;
        int rightEnd = right ? b.end[j - 1] : 0;
        int replaced = j - i;
        int added = (left ? 1 : 0) + (kind != 0 ? 1 : 0) + (right ? 1 : 0);
        int delta = added - replaced;
        if (delta > 0 && entries + delta > maxEntries) {
            return false;
        }
        if (b.n + delta > b.start.length) {
            if (staleness != null && purge(b) > 0) {
                return putInBucket(b, s, e, kind, owner, gen);
            }
            grow(b, b.n + delta);
        }
        // Save the cut pieces' payloads before shifting.
        int lOwner = left ? b.owner[i] : 0;
        int lGen = left ? b.gen[i] : 0;
        byte lKind = left ? b.kind[i] : 0;
        int rOwner = right ? b.owner[j - 1] : 0;
        int rGen = right ? b.gen[j - 1] : 0;
        byte rKind = right ? b.kind[j - 1] : 0;
        int tail = b.n - j;
        int dst = i + added;
        if (dst != j && tail > 0) {
            System.arraycopy(b.start, j, b.start, dst, tail);
            System.arraycopy(b.end, j, b.end, dst, tail);
            System.arraycopy(b.owner, j, b.owner, dst, tail);
            System.arraycopy(b.gen, j, b.gen, dst, tail);
            System.arraycopy(b.kind, j, b.kind, dst, tail);
        }
        int k = i;
        if (left) {
            set(b, k++, leftStart, s, lKind, lOwner, lGen);
        }
        if (kind != 0) {
            set(b, k++, s, e, (byte) kind, owner, gen);
        }
        if (right) {
            set(b, k, e, rightEnd, rKind, rOwner, rGen);
        }
        b.n += delta;
        entries += delta;
        return true;
    }

    private static void set(Bucket b, int k, int s, int e, byte kind, int owner, int gen) {
        b.start[k] = s;
        b.end[k] = e;
        b.kind[k] = kind;
        b.owner[k] = owner;
        b.gen[k] = gen;
    }

    private static void grow(Bucket b, int need) {
        int n = Math.max(need, b.start.length * 2);
        b.start = Arrays.copyOf(b.start, n);
        b.end = Arrays.copyOf(b.end, n);
        b.owner = Arrays.copyOf(b.owner, n);
        b.gen = Arrays.copyOf(b.gen, n);
        b.kind = Arrays.copyOf(b.kind, n);
    }

    /** Drops the stale intervals of a bucket; returns how many. */
    private int purge(Bucket b) {
        int w = 0;
        for (int r = 0; r < b.n; r++) {
            if (staleness.isStale(b.kind[r], b.owner[r], b.gen[r])) {
                continue;
            }
            if (w != r) {
                set(b, w, b.start[r], b.end[r], b.kind[r], b.owner[r], b.gen[r]);
            }
            w++;
        }
        int gone = b.n - w;
        b.n = w;
        entries -= gone;
        return gone;
    }

    /** The intervals held. */
    long entries() {
        return entries;
    }

    /** The puts dropped because the bound was reached. */
    long dropped() {
        return dropped;
    }

    /** The blocks covered. */
    long blocks() {
        return blocks;
    }

    /** Visits every interval in block order (not a hot path). */
    void forEach(Visitor v) {
        for (int bi = 0; bi < buckets.length; bi++) {
            Bucket b = buckets[bi];
            if (b == null) {
                continue;
            }
            long base = (long) bi << SHIFT;
            for (int r = 0; r < b.n; r++) {
                v.visit(base + b.start[r], base + b.end[r], b.kind[r], b.owner[r], b.gen[r]);
            }
        }
    }

    @FunctionalInterface
    interface Visitor {
        void visit(long from, long to, int kind, int owner, int gen);
    }
}

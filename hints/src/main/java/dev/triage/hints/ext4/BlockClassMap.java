package dev.triage.hints.ext4;

import java.util.Arrays;

/**
 * Which {@link Ext4Class} each physical block of a file system belongs to, and which inode owns
 * it: sorted, non-overlapping block ranges in primitive arrays (a few bytes per extent, never
 * an entry per block). Blocks outside every range are {@link Ext4Class#UNCLASSIFIED} (free
 * space, or blocks whose owner the reader could not see).
 */
public final class BlockClassMap {
    private final long[] start;
    private final long[] end;
    private final byte[] kind;
    private final int[] owner;
    private final int size;

    private BlockClassMap(long[] start, long[] end, byte[] kind, int[] owner, int size) {
        this.start = start;
        this.end = end;
        this.kind = kind;
        this.owner = owner;
        this.size = size;
    }

    /** The number of ranges. */
    public int rangeCount() {
        return size;
    }

    /** The first block of range {@code i} (ranges are in ascending block order). */
    public long rangeStart(int i) {
        return start[i];
    }

    /** The block after the last block of range {@code i}. */
    public long rangeEnd(int i) {
        return end[i];
    }

    public Ext4Class rangeClass(int i) {
        return Ext4Class.ofOrdinal(kind[i]);
    }

    /** The inode owning range {@code i} (as an unsigned int), or 0 for static metadata. */
    public int rangeOwner(int i) {
        return owner[i];
    }

    /** The index of the range holding {@code block}, or -1. */
    public int rangeOf(long block) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (start[mid] <= block) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && block < end[hi] ? hi : -1;
    }

    /** The kind of {@code block}. */
    public Ext4Class classOf(long block) {
        int r = rangeOf(block);
        return r < 0 ? Ext4Class.UNCLASSIFIED : Ext4Class.ofOrdinal(kind[r]);
    }

    /** The inode owning {@code block} (unsigned), or 0 when no inode does. */
    public int ownerOf(long block) {
        int r = rangeOf(block);
        return r < 0 ? 0 : owner[r];
    }

    /** The total number of blocks of a kind. */
    public long blocksOf(Ext4Class c) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (kind[i] == c.ordinal()) {
                n += end[i] - start[i];
            }
        }
        return n;
    }

    /**
     * Collects ranges in any order (they may overlap when the image is corrupt) and builds the
     * map. Where ranges overlap, the one of higher priority keeps the blocks (static metadata
     * before the journal before what inodes claim); at equal priority, the earlier one.
     */
    public static final class Builder {
        private long[] start = new long[256];
        private long[] end = new long[256];
        private byte[] kind = new byte[256];
        private int[] owner = new int[256];
        private int size;
        private final int maxRanges;
        private boolean full;

        /** @param maxRanges the most ranges this builder will hold; more are dropped ({@link #isFull()}) */
        public Builder(int maxRanges) {
            this.maxRanges = maxRanges;
        }

        /** Adds {@code [from, to)}; returns false (and drops it) when the builder is full. */
        public boolean add(long from, long to, Ext4Class c, int inode) {
            if (to <= from) {
                return true;
            }
            if (size == maxRanges) {
                full = true;
                return false;
            }
            if (size == start.length) {
                int n = (int) Math.min((long) size * 2, Integer.MAX_VALUE - 8);
                start = Arrays.copyOf(start, n);
                end = Arrays.copyOf(end, n);
                kind = Arrays.copyOf(kind, n);
                owner = Arrays.copyOf(owner, n);
            }
            start[size] = from;
            end[size] = to;
            kind[size] = (byte) c.ordinal();
            owner[size] = inode;
            size++;
            return true;
        }

        public int size() {
            return size;
        }

        /** True when a range was dropped because the builder was full. */
        public boolean isFull() {
            return full;
        }

        private static int priority(byte k) {
            if (k <= Ext4Class.INODE.ordinal()) {
                return 0;
            }
            return k == Ext4Class.JOURNAL.ordinal() ? 1 : 2;
        }

        public BlockClassMap build() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int c = Long.compare(start[a], start[b]);
                return c != 0 ? c : Integer.compare(priority(kind[a]), priority(kind[b]));
            });
            long[] s = new long[size];
            long[] e = new long[size];
            byte[] k = new byte[size];
            int[] o = new int[size];
            int n = 0;
            for (int idx = 0; idx < size; idx++) {
                int i = order[idx];
                long from = start[i];
                long to = end[i];
                if (n > 0 && from < e[n - 1]) {
                    if (priority(kind[i]) < priority(k[n - 1])) {
                        // The newcomer wins: cut the previous range short (dropping it if empty;
                        // the ranges before it end at or before its start, so no more overlap).
                        e[n - 1] = from;
                        if (e[n - 1] <= s[n - 1]) {
                            n--;
                        }
                    } else {
                        from = e[n - 1];
                    }
                    if (to <= from) {
                        continue;
                    }
                }
                if (n > 0 && s[n - 1] < e[n - 1] && e[n - 1] == from && k[n - 1] == kind[i]
                        && o[n - 1] == owner[i]) {
                    e[n - 1] = to;
                    continue;
                }
                s[n] = from;
                e[n] = to;
                k[n] = kind[i];
                o[n] = owner[i];
                n++;
            }
            return new BlockClassMap(Arrays.copyOf(s, n), Arrays.copyOf(e, n), Arrays.copyOf(k, n),
                    Arrays.copyOf(o, n), n);
        }
    }
}

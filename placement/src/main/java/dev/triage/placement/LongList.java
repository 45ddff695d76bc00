package dev.triage.placement;

import java.util.Arrays;

/** A growable list of primitive longs (pending frees, page addresses), no boxing. */
final class LongList {
    private long[] a;
    private int n;

    LongList() {
        this(16);
    }

    LongList(int capacity) {
        a = new long[Math.max(4, capacity)];
    }

    void add(long v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[n++] = v;
    }

    void addAll(LongList o) {
        for (int i = 0; i < o.n; i++) {
            add(o.a[i]);
        }
    }

    long get(int i) {
        return a[i];
    }

    int size() {
        return n;
    }

    void clear() {
        n = 0;
        if (a.length > 4096) {
            a = new long[16];
        }
    }
}

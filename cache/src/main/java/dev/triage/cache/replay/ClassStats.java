package dev.triage.cache.replay;

import java.util.Arrays;

/**
 * Hit counters per I/O class: touches, hits, read touches and read hits, indexed by class id.
 * Recording allocates nothing except when a class id beyond the arrays first appears.
 */
public final class ClassStats {
    private long[] touches = new long[32];
    private long[] hits = new long[32];
    private long[] readTouches = new long[32];
    private long[] readHits = new long[32];

    public void record(int ioClass, boolean write, boolean hit) {
        if (ioClass >= touches.length) {
            grow(ioClass);
        }
        touches[ioClass]++;
        if (hit) {
            hits[ioClass]++;
        }
        if (!write) {
            readTouches[ioClass]++;
            if (hit) {
                readHits[ioClass]++;
            }
        }
    }

    /** Adds counts to a class (for copies and merges). */
    public void add(int ioClass, long touchCount, long hitCount, long readTouchCount, long readHitCount) {
        if (ioClass >= touches.length) {
            grow(ioClass);
        }
        touches[ioClass] += touchCount;
        hits[ioClass] += hitCount;
        readTouches[ioClass] += readTouchCount;
        readHits[ioClass] += readHitCount;
    }

    private void grow(int ioClass) {
        int n = Math.max(ioClass + 1, touches.length * 2);
        touches = Arrays.copyOf(touches, n);
        hits = Arrays.copyOf(hits, n);
        readTouches = Arrays.copyOf(readTouches, n);
        readHits = Arrays.copyOf(readHits, n);
    }

    /** Number of class ids with room (some may have no touches). */
    public int classes() {
        return touches.length;
    }

    public long touches(int c) {
        return c < touches.length ? touches[c] : 0;
    }

    public long hits(int c) {
        return c < hits.length ? hits[c] : 0;
    }

    public long readTouches(int c) {
        return c < readTouches.length ? readTouches[c] : 0;
    }

    public long readHits(int c) {
        return c < readHits.length ? readHits[c] : 0;
    }

    public long totalTouches() {
        return Arrays.stream(touches).sum();
    }

    public long totalHits() {
        return Arrays.stream(hits).sum();
    }

    public long totalReadTouches() {
        return Arrays.stream(readTouches).sum();
    }

    public long totalReadHits() {
        return Arrays.stream(readHits).sum();
    }
}

package dev.triage.cache.collect;

import java.util.Arrays;

/**
 * A map from {@code long} keys to non-negative {@code int} values, by open addressing with
 * linear probing and backward-shift deletion (no tombstones), so that a steady mix of puts and
 * removes never degrades or reallocates. Every key is allowed. Lookups, puts and removes
 * allocate nothing; a put allocates only when the table grows (it doubles when more than half
 * full).
 *
 * <p>Not thread safe. Iteration order is unspecified.
 */
public final class LongIntHashMap {
    /** Returned by {@link #get} and {@link #remove} for a missing key. */
    public static final int MISSING = -1;

    private static final long FREE = 0x8000_0000_0000_0000L; // marks an empty cell

    private long[] keys;
    private int[] values;
    private int mask;
    private int size;
    private int resizeAt;
    // the key FREE itself is stored out of line
    private boolean hasFreeKey;
    private int freeKeyValue;

    /** A map that holds {@code expected} entries before it first grows. */
    public LongIntHashMap(int expected) {
        int cells = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        if (cells <= 0) {
            throw new IllegalArgumentException("map of " + expected + " entries is too large");
        }
        allocate(cells);
    }

    private void allocate(int cells) {
        keys = new long[cells];
        Arrays.fill(keys, FREE);
        values = new int[cells];
        mask = cells - 1;
        resizeAt = cells / 2;
    }

    private static int hash(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Entries in the map. */
    public int size() {
        return size;
    }

    /** The value of {@code key}, or {@link #MISSING}. */
    public int get(long key) {
        if (key == FREE) {
            return hasFreeKey ? freeKeyValue : MISSING;
        }
        long[] k = keys;
        int m = mask;
        for (int i = hash(key) & m; ; i = (i + 1) & m) {
            long c = k[i];
            if (c == key) {
                return values[i];
            }
            if (c == FREE) {
                return MISSING;
            }
        }
    }

    public boolean containsKey(long key) {
        return get(key) != MISSING;
    }

    /**
     * Maps {@code key} to {@code value} (which must be ≥ 0).
     *
     * @return the previous value, or {@link #MISSING}
     */
    public int put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("value " + value + " is negative");
        }
        if (key == FREE) {
            int old = hasFreeKey ? freeKeyValue : MISSING;
            if (!hasFreeKey) {
                size++;
            }
            hasFreeKey = true;
            freeKeyValue = value;
            return old;
        }
        long[] k = keys;
        int m = mask;
        int i = hash(key) & m;
        for (; ; i = (i + 1) & m) {
            long c = k[i];
            if (c == key) {
                int old = values[i];
                values[i] = value;
                return old;
            }
            if (c == FREE) {
                break;
            }
        }
        k[i] = key;
        values[i] = value;
        if (++size > resizeAt) {
            grow();
        }
        return MISSING;
    }

    /**
     * Removes {@code key}.
     *
     * @return its value, or {@link #MISSING} when it was not there
     */
    public int remove(long key) {
        if (key == FREE) {
            if (!hasFreeKey) {
                return MISSING;
            }
            hasFreeKey = false;
            size--;
            return freeKeyValue;
        }
        long[] k = keys;
        int m = mask;
        int i = hash(key) & m;
        for (; ; i = (i + 1) & m) {
            long c = k[i];
            if (c == key) {
                break;
            }
            if (c == FREE) {
                return MISSING;
            }
        }
        int old = values[i];
        size--;
        // backward-shift deletion: pull later entries of the probe run into the hole
        int hole = i;
        for (int j = (hole + 1) & m; ; j = (j + 1) & m) {
            long c = k[j];
            if (c == FREE) {
                break;
            }
            int home = hash(c) & m;
            // move c into the hole when its home is not in the cyclic range (hole, j]
            if (((j - home) & m) >= ((j - hole) & m)) {
                k[hole] = c;
                values[hole] = values[j];
                hole = j;
            }
        }
        k[hole] = FREE;
        return old;
    }

    /** Removes every entry (keeps the table). */
    public void clear() {
        Arrays.fill(keys, FREE);
        hasFreeKey = false;
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        if (oldKeys.length >= 1 << 30) {
            throw new IllegalStateException("map is full at " + size + " entries");
        }
        allocate(oldKeys.length * 2);
        long[] k = keys;
        int m = mask;
        for (int j = 0; j < oldKeys.length; j++) {
            long c = oldKeys[j];
            if (c != FREE) {
                int i = hash(c) & m;
                while (k[i] != FREE) {
                    i = (i + 1) & m;
                }
                k[i] = c;
                values[i] = oldValues[j];
            }
        }
    }
}

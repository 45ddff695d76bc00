package dev.triage.cache.collect;

/**
 * A map from {@code long} keys to non-negative {@code int} values, by open addressing with
 * linear probing and backward-shift deletion (no tombstones), so that a steady mix of puts and
 * removes never degrades or reallocates. Every key is allowed. Lookups, puts and removes
 * allocate nothing; a put allocates only when the table grows (it doubles when more than 3/4
 * full, up to 2^29 cells, which then may fill to 7/8).
 *
 * <p>Not thread safe. Iteration order is unspecified.
 */
public final class LongIntHashMap {
    /** Returned by {@link #get} and {@link #remove} for a missing key. */
    public static final int MISSING = -1;

    private static final long FREE = 0x8000_0000_0000_0000L; // marks an empty cell

    // keys and values interleaved (key at 2i, value at 2i+1), so a lookup touches one cache line
    private long[] table;
    private int mask; // cells - 1
    private int size;
    private int resizeAt;
    // the key FREE itself is stored out of line
    private boolean hasFreeKey;
    private int freeKeyValue;

    /** A map that holds {@code expected} entries before it first grows. */
    public LongIntHashMap(int expected) {
        int cells = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        if (cells <= 0 || cells > 1 << 29) {
            throw new IllegalArgumentException("map of " + expected + " entries is too large");
        }
        allocate(cells);
    }

    private void allocate(int cells) {
        table = new long[cells * 2];
        for (int i = 0; i < table.length; i += 2) {
            table[i] = FREE;
        }
        mask = cells - 1;
        resizeAt = cells - cells / 4;
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
        long[] t = table;
        int m = mask;
        for (int i = hash(key) & m; ; i = (i + 1) & m) {
            long c = t[2 * i];
            if (c == key) {
                return (int) t[2 * i + 1];
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
        long[] t = table;
        int m = mask;
        int i = hash(key) & m;
        for (; ; i = (i + 1) & m) {
            long c = t[2 * i];
            if (c == key) {
                int old = (int) t[2 * i + 1];
                t[2 * i + 1] = value;
                return old;
            }
            if (c == FREE) {
                break;
            }
        }
        t[2 * i] = key;
        t[2 * i + 1] = value;
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
        long[] t = table;
        int m = mask;
        int i = hash(key) & m;
        for (; ; i = (i + 1) & m) {
            long c = t[2 * i];
            if (c == key) {
                break;
            }
            if (c == FREE) {
                return MISSING;
            }
        }
        int old = (int) t[2 * i + 1];
        size--;
        // backward-shift deletion: pull later entries of the probe run into the hole
        int hole = i;
        for (int j = (hole + 1) & m; ; j = (j + 1) & m) {
            long c = t[2 * j];
            if (c == FREE) {
                break;
            }
            int home = hash(c) & m;
            // move c into the hole when its home is not in the cyclic range (hole, j]
            if (((j - home) & m) >= ((j - hole) & m)) {
                t[2 * hole] = c;
                t[2 * hole + 1] = t[2 * j + 1];
                hole = j;
            }
        }
        t[2 * hole] = FREE;
        return old;
    }

    /** Removes every entry (keeps the table). */
    public void clear() {
        for (int i = 0; i < table.length; i += 2) {
            table[i] = FREE;
        }
        hasFreeKey = false;
        size = 0;
    }

    private void grow() {
        long[] old = table;
        int cells = mask + 1;
        if (cells >= 1 << 29) {
            // the largest table: allow it to fill to 7/8 rather than fail
            if (resizeAt < cells - cells / 8) {
                resizeAt = cells - cells / 8;
                return;
            }
            throw new IllegalStateException("map is full at " + size + " entries");
        }
        allocate((mask + 1) * 2);
        long[] t = table;
        int m = mask;
        for (int j = 0; j < old.length; j += 2) {
            long c = old[j];
            if (c != FREE) {
                int i = hash(c) & m;
                while (t[2 * i] != FREE) {
                    i = (i + 1) & m;
                }
                t[2 * i] = c;
                t[2 * i + 1] = old[j + 1];
            }
        }
    }
}

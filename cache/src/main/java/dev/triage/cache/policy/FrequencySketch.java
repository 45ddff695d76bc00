package dev.triage.cache.policy;

/**
 * A count-min sketch of 4-bit counters that estimates how often each block was seen recently,
 * for TinyLFU admission. Sixteen counters share a long; each block maps to four counters
 * (double hashing from one 64-bit mix of the block number with fixed seeds, so estimates are
 * deterministic), an increment raises each of them below 15, and the estimate is their minimum.
 * After {@code 10 × capacity} increments every counter is halved (the "reset" that ages the
 * history), as in Caffeine's {@code FrequencySketch}. There is no doorkeeper.
 */
final class FrequencySketch {
    private static final long SEED_A = 0x9E37_79B9_7F4A_7C15L;
    private static final long RESET_MASK = 0x7777_7777_7777_7777L;
    private static final long ONE_MASK = 0x1111_1111_1111_1111L;

    private final long[] table;
    private final int counterMask;
    private final int sampleSize;
    private int additions;

    FrequencySketch(long capacity) {
        long words = Long.highestOneBit(Math.max(8, Math.min(capacity, 1 << 26)) * 2 - 1);
        table = new long[(int) words];
        counterMask = (int) (words * 16 - 1);
        sampleSize = (int) Math.min(10 * Math.max(1, capacity), Integer.MAX_VALUE);
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        x = (x ^ (x >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return x ^ (x >>> 33);
    }

    /** Counts one more occurrence of {@code block}. */
    void increment(long block) {
        long h = mix(block + SEED_A);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1;
        boolean added = false;
        for (int i = 0; i < 4; i++) {
            int c = (h1 + i * h2) & counterMask;
            int word = c >>> 4;
            int shift = (c & 15) << 2;
            long w = table[word];
            if (((w >>> shift) & 0xF) < 15) {
                table[word] = w + (1L << shift);
                added = true;
            }
        }
        if (added && ++additions >= sampleSize) {
            reset();
        }
    }

    /** The estimated count of {@code block}, 0..15. */
    int frequency(long block) {
        long h = mix(block + SEED_A);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1;
        int min = 15;
        for (int i = 0; i < 4; i++) {
            int c = (h1 + i * h2) & counterMask;
            int v = (int) ((table[c >>> 4] >>> ((c & 15) << 2)) & 0xF);
            min = Math.min(min, v);
        }
        return min;
    }

    /** Increments since the last reset (for tests). */
    int additions() {
        return additions;
    }

    /** Halves every counter; the lost halves of odd counters are taken off the addition count. */
    void reset() {
        int odd = 0;
        for (int i = 0; i < table.length; i++) {
            odd += Long.bitCount(table[i] & ONE_MASK);
            table[i] = (table[i] >>> 1) & RESET_MASK;
        }
        additions = (additions - (odd >>> 2)) >>> 1;
    }
}

package dev.triage.cache.policy.adaptive;

/**
 * A count-min sketch of 4-bit counters that estimates how often each block was touched lately
 * (TinyLFU's, as in Caffeine): four counters per block from one 64-bit mix with fixed seeds
 * (deterministic), an increment raises those below 15, the estimate is their minimum, and
 * after {@code 10 × capacity} increments every counter is halved so old history fades.
 */
final class FrequencySketch {
    private static final long RESET_MASK = 0x7777_7777_7777_7777L;

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

    void increment(long block) {
        long h = OptGen.mix(block + 0x9E37_79B9_7F4A_7C15L);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1;
        for (int i = 0; i < 4; i++) {
            int c = (h1 + i * h2) & counterMask;
            int word = c >>> 4;
            int shift = (c & 15) << 2;
            if (((table[word] >>> shift) & 0xF) < 15) {
                table[word] += 1L << shift;
            }
        }
        if (++additions >= sampleSize) {
            for (int i = 0; i < table.length; i++) {
                table[i] = (table[i] >>> 1) & RESET_MASK;
            }
            additions >>>= 1;
        }
    }

    int frequency(long block) {
        long h = OptGen.mix(block + 0x9E37_79B9_7F4A_7C15L);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1;
        int min = 15;
        for (int i = 0; i < 4; i++) {
            int c = (h1 + i * h2) & counterMask;
            min = Math.min(min, (int) ((table[c >>> 4] >>> ((c & 15) << 2)) & 0xF));
        }
        return min;
    }
}

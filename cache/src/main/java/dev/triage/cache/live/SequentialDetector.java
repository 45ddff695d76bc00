package dev.triage.cache.live;

/**
 * Spots sequential streams per volume: a few stream slots remember where the next request of a
 * stream would start and how long the run is so far. A request that continues a run longer
 * than the threshold is part of a sequential stream (a backup, a scan) that the cache may
 * bypass. Allocates nothing.
 */
final class SequentialDetector {
    private static final int STREAMS = 8;
    private final long threshold;
    private final int[] volume = new int[STREAMS];
    private final long[] next = new long[STREAMS];
    private final long[] run = new long[STREAMS];
    private final long[] used = new long[STREAMS];
    private long clock;

    /** @param thresholdBytes run length from which a stream counts as sequential; 0 disables */
    SequentialDetector(long thresholdBytes) {
        this.threshold = thresholdBytes;
        java.util.Arrays.fill(volume, -1);
    }

    /** Records a request; true when it continues a sequential run longer than the threshold. */
    boolean sequential(int vol, long offset, long length) {
        if (threshold <= 0) {
            return false;
        }
        clock++;
        int lru = 0;
        for (int i = 0; i < STREAMS; i++) {
            if (volume[i] == vol && next[i] == offset) {
                run[i] += length;
                next[i] = offset + length;
                used[i] = clock;
                return run[i] > threshold;
            }
            if (used[i] < used[lru]) {
                lru = i;
            }
        }
        volume[lru] = vol;
        next[lru] = offset + length;
        run[lru] = length;
        used[lru] = clock;
        return false;
    }
}

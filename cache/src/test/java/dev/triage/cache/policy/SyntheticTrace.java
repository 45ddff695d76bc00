package dev.triage.cache.policy;

import dev.triage.cache.collect.LongIntHashMap;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A large synthetic trace in primitive arrays (Zipf-distributed blocks, a few discards), with
 * the next-use index of every touch precomputed, so that a replay loop over it allocates
 * nothing.
 */
final class SyntheticTrace {
    final long[] blocks;
    final int[] classes;
    final boolean[] discard;
    final long[] nextUse;
    final int touches;

    private SyntheticTrace(long[] blocks, int[] classes, boolean[] discard) {
        this.blocks = blocks;
        this.classes = classes;
        this.discard = discard;
        this.nextUse = new long[blocks.length];
        int t = 0;
        for (boolean d : discard) {
            if (!d) {
                t++;
            }
        }
        touches = t;
        LongIntHashMap upcoming = new LongIntHashMap(1 << 16);
        int touchIndex = touches;
        for (int i = blocks.length - 1; i >= 0; i--) {
            if (discard[i]) {
                upcoming.remove(blocks[i]);
                nextUse[i] = -1;
            } else {
                touchIndex--;
                int n = upcoming.get(blocks[i]);
                nextUse[i] = n == LongIntHashMap.MISSING ? Touch.NEVER : n;
                upcoming.put(blocks[i], touchIndex);
            }
        }
    }

    /**
     * @param steps trace length (touches and discards)
     * @param universe distinct blocks
     * @param alpha Zipf exponent
     * @param discardRate fraction of steps that are discards
     * @param classCount I/O classes 0..classCount-1 (a block's class is fixed by its rank)
     */
    static SyntheticTrace zipf(int steps, int universe, double alpha, double discardRate, int classCount, long seed) {
        double[] cdf = new double[universe];
        double sum = 0;
        for (int r = 0; r < universe; r++) {
            sum += 1 / Math.pow(r + 1, alpha);
            cdf[r] = sum;
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[] blocks = new long[steps];
        int[] classes = new int[steps];
        boolean[] discard = new boolean[steps];
        for (int i = 0; i < steps; i++) {
            int r = Arrays.binarySearch(cdf, random.nextDouble() * sum);
            int rank = r >= 0 ? r : Math.min(-r - 1, universe - 1);
            blocks[i] = rank * 0x9E37_79B9_7F4A_7C15L;
            classes[i] = rank % classCount;
            discard[i] = random.nextDouble() < discardRate;
        }
        return new SyntheticTrace(blocks, classes, discard);
    }

    /** Replays steps {@code [from, to)}; returns the hits. Allocates nothing. */
    long replay(CachePolicy p, Touch t, int from, int to, long firstTouchIndex) {
        boolean future = p.needsFuture();
        long hits = 0;
        long index = firstTouchIndex;
        for (int i = from; i < to; i++) {
            if (discard[i]) {
                p.remove(blocks[i]);
                continue;
            }
            t.block = blocks[i];
            t.ioClass = classes[i];
            t.write = false;
            t.index = index++;
            t.nextUse = future ? nextUse[i] : Touch.NEVER;
            if (p.access(t)) {
                hits++;
            }
        }
        return hits;
    }

    /** Touches before step {@code i}. */
    long touchesBefore(int i) {
        long n = 0;
        for (int j = 0; j < i; j++) {
            if (!discard[j]) {
                n++;
            }
        }
        return n;
    }
}

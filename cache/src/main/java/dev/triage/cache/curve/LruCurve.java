package dev.triage.cache.curve;

/**
 * LRU's exact hit ratios at many cache sizes in one pass (Mattson's stack algorithm, with
 * {@link StackDistances}): a touch hits an LRU cache of {@code C} blocks exactly when its stack
 * distance is below {@code C}. O(log n) per touch, memory bounded by the distinct blocks.
 *
 * <p>Discards break the plain stack rule: a discard frees a slot in every cache that held the
 * block, and a block evicted earlier does not come back into it. So each size keeps its free
 * slots: a cache of {@code C} blocks with {@code f} free slots holds exactly the {@code C - f}
 * most recent blocks (discarded ones left out); a touch of distance {@code d} hits when {@code
 * d < C - f}, and a miss fills a free slot before it evicts. While no size has a free slot (no
 * discard yet, or all refilled) a touch costs a binary search over the sizes, else a scan of
 * them. Agrees to the last hit with replaying {@code LruPolicy} at each size.
 */
public final class LruCurve implements HitCurve {
    private final StackDistances distances = new StackDistances();
    private final DistanceCounts counts;
    private final int missBucket;
    private final long[] sizes;
    private final long[] free;
    private int sizesWithFree;
    private long[] touches = new long[32];

    /** @param sizes cache sizes in blocks, ascending */
    public LruCurve(long[] sizes) {
        this.counts = new DistanceCounts(sizes);
        this.missBucket = sizes.length;
        this.sizes = sizes.clone();
        this.free = new long[sizes.length];
    }

    @Override
    public void touch(long block, int ioClass) {
        long d = distances.access(block);
        int bucket;
        if (sizesWithFree == 0) {
            bucket = d == StackDistances.COLD ? missBucket : counts.bucket(d);
        } else {
            bucket = missBucket;
            for (int k = sizes.length - 1; k >= 0; k--) {
                if (d != StackDistances.COLD && d < sizes[k] - free[k]) {
                    bucket = k; // hits here (and, by inclusion, at every larger size)
                } else if (free[k] > 0 && --free[k] == 0) {
                    sizesWithFree--;
                }
            }
        }
        counts.add(ioClass, bucket, 1);
        if (ioClass >= touches.length) {
            touches = java.util.Arrays.copyOf(touches, Math.max(ioClass + 1, touches.length * 2));
        }
        touches[ioClass]++;
    }

    @Override
    public void remove(long block) {
        long d = distances.remove(block);
        if (d == StackDistances.COLD) {
            return;
        }
        for (int k = 0; k < sizes.length; k++) {
            if (d < sizes[k] - free[k]) {
                if (free[k]++ == 0) {
                    sizesWithFree++;
                }
            }
        }
    }

    @Override
    public long[] sizes() {
        return counts.sizes();
    }

    @Override
    public int classes() {
        return counts.classes();
    }

    @Override
    public long touches(int ioClass) {
        return HitCurve.touchesOf(touches, ioClass);
    }

    /** Exact hits at {@code sizes()[sizeIndex]}, of a class or all (-1). */
    public long hits(int sizeIndex, int ioClass) {
        return Math.round(counts.sum(ioClass, sizeIndex));
    }

    @Override
    public double hitRatio(int sizeIndex, int ioClass) {
        long t = touches(ioClass);
        return t == 0 ? 0 : (double) hits(sizeIndex, ioClass) / t;
    }
}

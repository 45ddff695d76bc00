package dev.triage.cache.curve;

import java.util.Arrays;

/**
 * LRU's hit-ratio curve estimated from a spatial sample of the blocks: SHARDS (Waldspurger et
 * al., "Efficient MRC Construction with SHARDS", FAST '15). A block is sampled when a hash of it,
 * modulo {@code P = 2^24}, is below a threshold {@code T}; the sample's stack distances, divided
 * by the rate {@code R = T/P}, estimate the full trace's.
 *
 * <ul>
 *   <li>{@link #fixedRate}: {@code R} stays; memory is about {@code R} × the distinct blocks. With
 *       the paper's adjustment ({@code SHARDS_adj}): the difference between the expected sampled
 *       touches ({@code N·R}) and the actual is counted as hits at the smallest size.
 *   <li>{@link #fixedSize}: at most {@code maxBlocks} sampled blocks; when more, the blocks of the
 *       largest hash leave the sample and {@code T} drops to that hash ({@code SHARDS_max}), so
 *       memory is fixed whatever the trace. Touches are weighted by {@code 1/R} at their time.
 * </ul>
 * The error, measured in {@code ShardsCurveTest} (2M touches, ~700K blocks): at most 0.014 in
 * hit ratio at R = 0.1; at R = 0.01, 0.023 for caches of 20K blocks and more (smaller caches are
 * a sample of a few dozen blocks: noise); fixed size 8192 blocks, 0.023. {@code triage sweep
 * --shards} reports its error against the exact curve when both are computed (postmark, R = 0.1:
 * 0.0037).
 */
public final class ShardsCurve implements HitCurve {
    /** The modulus of the sampling hash. */
    public static final long P = 1L << 24;

    private final StackDistances distances = new StackDistances();
    private final DistanceCounts counts;
    private final int missBucket;
    private final int maxBlocks;
    private final boolean adjust;
    private long threshold;
    private long[] touches = new long[32];
    // fixed size: a max-heap of (hash, block) of the sampled blocks
    private long[] heapHash = new long[0];
    private long[] heapBlock = new long[0];
    private int heapSize;

    private ShardsCurve(long[] sizes, double rate, int maxBlocks, boolean adjust) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("sampling rate must be in (0, 1], got " + rate);
        }
        this.counts = new DistanceCounts(sizes);
        this.missBucket = sizes.length;
        this.threshold = Math.max(1, Math.round(rate * P));
        this.maxBlocks = maxBlocks;
        this.adjust = adjust;
        if (maxBlocks > 0) {
            heapHash = new long[Math.min(maxBlocks + 1, 1 << 12)];
            heapBlock = new long[heapHash.length];
        }
    }

    /** Fixed-rate SHARDS with the adjustment, at {@code rate} (0.001 .. 1). */
    public static ShardsCurve fixedRate(long[] sizes, double rate) {
        return new ShardsCurve(sizes, rate, 0, true);
    }

    /** Fixed-rate SHARDS without the adjustment (for comparison). */
    public static ShardsCurve fixedRateUnadjusted(long[] sizes, double rate) {
        return new ShardsCurve(sizes, rate, 0, false);
    }

    /** Fixed-size SHARDS: at most {@code maxBlocks} sampled blocks, starting at rate 1 (exact until full). */
    public static ShardsCurve fixedSize(long[] sizes, int maxBlocks) {
        if (maxBlocks < 1) {
            throw new IllegalArgumentException("maxBlocks must be at least 1, got " + maxBlocks);
        }
        return new ShardsCurve(sizes, 1.0, maxBlocks, false);
    }

    /** The sampling hash of a block, in {@code [0, P)}: a block is in a sample of rate R when below R·P. */
    public static long hash(long block) {
        long z = block + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return z & (P - 1);
    }

    /** The sampling rate now. */
    public double rate() {
        return (double) threshold / P;
    }

    /** Blocks in the sample now. */
    public int sampledBlocks() {
        return distances.live();
    }

    @Override
    public void touch(long block, int ioClass) {
        if (ioClass >= touches.length) {
            int n = Math.max(ioClass + 1, touches.length * 2);
            touches = Arrays.copyOf(touches, n);
        }
        touches[ioClass]++;
        long h = hash(block);
        if (h >= threshold) {
            return;
        }
        double rate = rate();
        double w = maxBlocks > 0 ? 1 / rate : 1;
        long d = distances.access(block);
        if (d == StackDistances.COLD) {
            counts.add(ioClass, missBucket, w);
            if (maxBlocks > 0) {
                push(h, block);
                while (distances.live() > maxBlocks) {
                    shrink();
                }
            }
        } else {
            counts.add(ioClass, counts.bucket(d / rate), w);
        }
    }

    @Override
    public void remove(long block) {
        if (hash(block) < threshold) {
            distances.remove(block); // a stale heap entry is skipped when it comes up
        }
    }

    /** Drops the blocks of the largest hash and lowers the threshold to it. */
    private void shrink() {
        long top = heapHash[0];
        while (heapSize > 0 && heapHash[0] == top) {
            long b = heapBlock[0];
            pop();
            distances.remove(b);
        }
        threshold = top;
    }

    private void push(long h, long b) {
        if (heapSize == heapHash.length) {
            heapHash = Arrays.copyOf(heapHash, heapSize * 2);
            heapBlock = Arrays.copyOf(heapBlock, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heapHash[parent] >= h) {
                break;
            }
            heapHash[i] = heapHash[parent];
            heapBlock[i] = heapBlock[parent];
            i = parent;
        }
        heapHash[i] = h;
        heapBlock[i] = b;
    }

    private void pop() {
        int n = --heapSize;
        long h = heapHash[n];
        long b = heapBlock[n];
        int i = 0;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < n && heapHash[child + 1] > heapHash[child]) {
                child++;
            }
            if (h >= heapHash[child]) {
                break;
            }
            heapHash[i] = heapHash[child];
            heapBlock[i] = heapBlock[child];
            i = child;
        }
        if (n > 0) {
            heapHash[i] = h;
            heapBlock[i] = b;
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

    @Override
    public double hitRatio(int sizeIndex, int ioClass) {
        double hits = counts.sum(ioClass, sizeIndex);
        double total = counts.total(ioClass);
        if (adjust) {
            double expected = touches(ioClass) * rate();
            hits += expected - total;
            total = expected;
        }
        if (total <= 0) {
            return 0;
        }
        return Math.max(0, Math.min(1, hits / total));
    }
}

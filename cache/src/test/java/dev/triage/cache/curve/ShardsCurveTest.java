package dev.triage.cache.curve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * SHARDS against the exact curve on a skewed trace of 2M touches over ~700K blocks (classes by
 * block). Measured (max |error| in hit ratio over sizes 1K..400K): fixed rate R=0.1 0.014;
 * R=0.01 0.023 for sizes of 20K blocks and more (0.054 at 10K, and useless at 1K-5K, where the
 * sample holds 10-50 blocks); fixed size 8192 blocks 0.023. The bounds leave some room: a broken
 * sampling (a wrong scale) moves the curve by far more.
 */
class ShardsCurveTest {
    static final long[] SIZES = {1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 400_000};

    static void feed(HitCurve... curves) {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n = 0; n < 2_000_000; n++) {
            // a skewed mix: a hot set, a Pareto-like body, and a scan
            long b;
            int r = rnd.nextInt(10);
            if (r < 3) {
                b = rnd.nextInt(5000);
            } else if (r < 9) {
                b = (long) (400_000 * Math.pow(rnd.nextDouble(), 4));
            } else {
                b = 1_000_000 + (n % 300_000);
            }
            for (HitCurve c : curves) {
                c.touch(b, (int) (b % 3));
            }
        }
    }

    static double maxError(HitCurve exact, HitCurve est, int ioClass) {
        return maxError(exact, est, ioClass, 0);
    }

    /** The largest error over the sizes of at least {@code minSize} blocks. */
    static double maxError(HitCurve exact, HitCurve est, int ioClass, long minSize) {
        double max = 0;
        for (int i = 0; i < SIZES.length; i++) {
            if (SIZES[i] < minSize) {
                continue;
            }
            max = Math.max(max, Math.abs(exact.hitRatio(i, ioClass) - est.hitRatio(i, ioClass)));
        }
        return max;
    }

    @Test
    void fixedRateIsCloseToExact() {
        LruCurve exact = new LruCurve(SIZES);
        ShardsCurve r10 = ShardsCurve.fixedRate(SIZES, 0.1);
        ShardsCurve r1 = ShardsCurve.fixedRate(SIZES, 0.01);
        feed(exact, r10, r1);
        double e10 = maxError(exact, r10, -1);
        // at R = 0.01 a cache of C blocks is C/100 sampled blocks: below ~200 the estimate is noise
        double e1 = maxError(exact, r1, -1, 20_000);
        System.out.printf("SHARDS fixed rate: max |error| R=0.1 %.4f, R=0.01 (C >= 20K) %.4f; exact at 50K %.4f%n", e10, e1,
                exact.hitRatio(5, -1));
        assertTrue(e10 < 0.02, "R=0.1 error " + e10);
        assertTrue(e1 < 0.03, "R=0.01 error " + e1);
        double perClass = maxError(exact, r10, 1, 5000);
        System.out.printf("SHARDS R=0.1 class 1 (C >= 5K): %.4f%n", perClass);
        assertTrue(perClass < 0.03, "per class " + perClass);
        assertEquals(exact.touches(-1), r10.touches(-1));
        assertTrue(r1.sampledBlocks() < 0.02 * 700_000, "sample is about 1% of the blocks: " + r1.sampledBlocks());
    }

    @Test
    void fixedSizeIsCloseToExactAndBounded() {
        LruCurve exact = new LruCurve(SIZES);
        ShardsCurve s = ShardsCurve.fixedSize(SIZES, 8192);
        feed(exact, s);
        double e = maxError(exact, s, -1);
        System.out.printf("SHARDS fixed size 8192: max |error| %.4f at final rate %.4f%n", e, s.rate());
        assertTrue(s.sampledBlocks() <= 8192);
        assertTrue(s.rate() < 0.05, "the rate dropped: " + s.rate());
        assertTrue(e < 0.03, "error " + e);
    }

    @Test
    void rateOneIsExact() {
        LruCurve exact = new LruCurve(SIZES);
        ShardsCurve all = ShardsCurve.fixedRateUnadjusted(SIZES, 1.0);
        feed(exact, all);
        for (int i = 0; i < SIZES.length; i++) {
            assertEquals(exact.hitRatio(i, -1), all.hitRatio(i, -1), 1e-12);
        }
    }
}

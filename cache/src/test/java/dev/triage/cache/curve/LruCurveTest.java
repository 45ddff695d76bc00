package dev.triage.cache.curve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.triage.cache.policy.LruPolicy;
import dev.triage.cache.policy.Touch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LruCurveTest {

    @Test
    void agreesWithLruPolicyAtEverySizePerClassWithDiscards() {
        long[] sizes = {0, 1, 2, 3, 5, 8, 50, 200, 512, 1000, 4000};
        LruCurve curve = new LruCurve(sizes);
        LruPolicy[] lru = new LruPolicy[sizes.length];
        long[][] hits = new long[sizes.length][4];
        for (int i = 0; i < sizes.length; i++) {
            lru[i] = new LruPolicy(sizes[i]);
        }
        SplittableRandom rnd = new SplittableRandom(11);
        Touch t = new Touch();
        for (int n = 0; n < 200_000; n++) {
            long b = (long) Math.floor(Math.pow(rnd.nextDouble(), 3) * 3000);
            if (rnd.nextInt(50) == 0) {
                curve.remove(b);
                for (LruPolicy p : lru) {
                    p.remove(b);
                }
                continue;
            }
            int c = (int) (b % 4);
            curve.touch(b, c);
            t.set(b, c, false);
            for (int i = 0; i < sizes.length; i++) {
                if (lru[i].access(t)) {
                    hits[i][c]++;
                }
            }
        }
        for (int i = 0; i < sizes.length; i++) {
            long all = 0;
            for (int c = 0; c < 4; c++) {
                assertEquals(hits[i][c], curve.hits(i, c), "size " + sizes[i] + " class " + c);
                all += hits[i][c];
            }
            assertEquals(all, curve.hits(i, -1), "size " + sizes[i]);
        }
        assertEquals(0, curve.hits(0, -1));
    }
}

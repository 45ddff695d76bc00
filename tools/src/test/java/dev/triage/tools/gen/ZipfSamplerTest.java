package dev.triage.tools.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfSamplerTest {
    @Test
    void frequenciesFollowZipf() {
        int n = 1000;
        double s = 0.9;
        ZipfSampler z = new ZipfSampler(n, s);
        SplittableRandom rnd = new SplittableRandom(3);
        long[] count = new long[n + 1];
        int samples = 2_000_000;
        for (int i = 0; i < samples; i++) {
            long k = z.sample(rnd);
            assertTrue(k >= 1 && k <= n);
            count[(int) k]++;
        }
        double norm = 0;
        for (int k = 1; k <= n; k++) {
            norm += Math.pow(k, -s);
        }
        for (int k : new int[] {1, 2, 10, 100, 1000}) {
            double expected = samples * Math.pow(k, -s) / norm;
            assertEquals(expected, count[k], 5 * Math.sqrt(expected) + 1, "rank " + k);
        }
    }

    @Test
    void mulModIsExact() {
        assertEquals(java.math.BigInteger.valueOf(Long.MAX_VALUE).multiply(java.math.BigInteger.valueOf(12345))
                .mod(java.math.BigInteger.valueOf(50_000_017)).longValue(),
                GenCommand.mulMod(Long.MAX_VALUE, 12345, 50_000_017));
        assertEquals(6, GenCommand.mulMod(7, 8, 50));
    }

    @Test
    void permutationMultiplierSpreadsRanks() {
        for (long n : new long[] {3, 10, 20_000, 5_000_000, 50_000_000}) {
            long a = GenCommand.multiplier(n);
            assertEquals(java.math.BigInteger.ONE, java.math.BigInteger.valueOf(a).gcd(java.math.BigInteger.valueOf(n)));
            assertTrue(a > n / 2 && a < n, "n " + n + " a " + a);
        }
    }
}

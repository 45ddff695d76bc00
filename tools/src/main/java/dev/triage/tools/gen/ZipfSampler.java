package dev.triage.tools.gen;

import java.util.SplittableRandom;

/**
 * Zipf-distributed ranks 1..n with exponent s > 0, without a table: rejection-inversion
 * (Hörmann and Derflinger, "Rejection-inversion to generate variates from monotone discrete
 * distributions", 1996), O(1) expected per sample for any n — so 50 million blocks cost no
 * memory.
 */
public final class ZipfSampler {
    private final long n;
    private final double s;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double sTerm;

    public ZipfSampler(long n, double s) {
        if (n < 1 || !(s > 0)) {
            throw new IllegalArgumentException("Zipf needs n >= 1 and s > 0, got n=" + n + " s=" + s);
        }
        this.n = n;
        this.s = s;
        this.hIntegralX1 = hIntegral(1.5) - 1.0;
        this.hIntegralN = hIntegral(n + 0.5);
        this.sTerm = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2));
    }

    /** A rank in 1..n; rank 1 is the most frequent. */
    public long sample(SplittableRandom rnd) {
        while (true) {
            double u = hIntegralN + rnd.nextDouble() * (hIntegralX1 - hIntegralN);
            double x = hIntegralInverse(u);
            long k = (long) (x + 0.5);
            if (k < 1) {
                k = 1;
            } else if (k > n) {
                k = n;
            }
            if (k - x <= sTerm || u >= hIntegral(k + 0.5) - h(k)) {
                return k;
            }
        }
    }

    private double hIntegral(double x) {
        double logX = Math.log(x);
        return helper2((1.0 - s) * logX) * logX;
    }

    private double h(double x) {
        return Math.exp(-s * Math.log(x));
    }

    private double hIntegralInverse(double x) {
        double t = x * (1.0 - s);
        if (t < -1.0) {
            t = -1.0; // numerical safety
        }
        return Math.exp(helper1(t) * x);
    }

    /** log(1+x)/x, continuous at 0. */
    private static double helper1(double x) {
        return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
    }

    /** (exp(x)-1)/x, continuous at 0. */
    private static double helper2(double x) {
        return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
    }
}

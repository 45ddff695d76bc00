package dev.triage.cache.policy.adaptive;

import java.util.Arrays;

/**
 * Learns, per access context, whether Belady's optimum keeps a block from one touch to its
 * next: a 3-bit saturating counter per context (as Hawkeye's PC predictor), raised when the
 * optimum would have hit and lowered when it would not. A context is predicted
 * <em>friendly</em> while its counter is in the upper half; an untrained context is friendly,
 * so that an uninformative context costs nothing (everything friendly is plain LRU).
 *
 * <p>A context is {@link AccessContext#of an int}: the I/O class, the operation, the request
 * size, read-ahead or not, and the block's recent history. The table grows with the largest
 * class id seen (never per touch once every class has been seen).
 */
final class ReusePredictor {
    static final int MAX = 7;
    static final int FRIENDLY_AT = 4;

    private byte[] counters = new byte[0];

    private void ensure(int ctx) {
        if (ctx >= counters.length) {
            int n = Math.max(ctx + 1, counters.length * 2);
            int old = counters.length;
            counters = Arrays.copyOf(counters, n);
            Arrays.fill(counters, old, n, (byte) FRIENDLY_AT);
        }
    }

    /** True when blocks touched in this context are worth keeping until their next touch. */
    boolean friendly(int ctx) {
        return ctx >= counters.length || counters[ctx] >= FRIENDLY_AT;
    }

    /** The counter of a context, 0..7 (for tests and stats). */
    int counter(int ctx) {
        return ctx >= counters.length ? FRIENDLY_AT : counters[ctx];
    }

    /** Records whether the optimum kept a block touched in {@code ctx} until its next touch. */
    void train(int ctx, boolean optimumHit) {
        ensure(ctx);
        int c = counters[ctx];
        if (optimumHit) {
            if (c < MAX) {
                counters[ctx] = (byte) (c + 1);
            }
        } else if (c > 0) {
            counters[ctx] = (byte) (c - 1);
        }
    }
}

package dev.triage.cache.replay;

import dev.triage.cache.curve.HitCurve;

/** Feeds the replay engine's touches to a {@link HitCurve} (discards remove their blocks). */
public final class CurveFeeder implements TouchConsumer {
    private final String name;
    private final HitCurve curve;
    private long elapsedNanos;

    public CurveFeeder(String name, HitCurve curve) {
        this.name = name;
        this.curve = curve;
    }

    @Override
    public void apply(TouchBatch b) {
        long start = System.nanoTime();
        HitCurve c = curve;
        long[] block = b.block;
        byte[] kind = b.kind;
        int[] ioClass = b.ioClass;
        for (int i = 0, n = b.count; i < n; i++) {
            if (kind[i] == TouchBatch.DISCARD) {
                c.remove(block[i]);
            } else {
                c.touch(block[i], ioClass[i]);
            }
        }
        elapsedNanos += System.nanoTime() - start;
    }

    public String name() {
        return name;
    }

    public HitCurve curve() {
        return curve;
    }

    /** Time spent in the curve. */
    public long elapsedNanos() {
        return elapsedNanos;
    }
}

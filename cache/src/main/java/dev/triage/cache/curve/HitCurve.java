package dev.triage.cache.curve;

/**
 * Hit ratios at a fixed, ascending list of cache sizes (in blocks), overall and per I/O class,
 * from one pass over the touches. {@link LruCurve} is exact; {@link ShardsCurve} is sampled.
 */
public interface HitCurve {

    /** Touches a block of a class. */
    void touch(long block, int ioClass);

    /** Removes a block (a discard). */
    void remove(long block);

    /** The cache sizes in blocks, ascending. */
    long[] sizes();

    /** Class ids with room (some may have no touches). */
    int classes();

    /** Touches of a class, or of all with {@code ioClass} -1. */
    long touches(int ioClass);

    /** {@link #touches(int)} over counts kept per class id. */
    static long touchesOf(long[] perClass, int ioClass) {
        if (ioClass >= 0) {
            return ioClass < perClass.length ? perClass[ioClass] : 0;
        }
        long s = 0;
        for (long t : perClass) {
            s += t;
        }
        return s;
    }

    /** The (estimated) hit ratio at {@code sizes()[sizeIndex]}, of a class or of all (-1). */
    double hitRatio(int sizeIndex, int ioClass);
}
